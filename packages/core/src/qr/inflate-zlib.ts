import { inflateSync, zlibSync } from 'fflate';
import { adler32 } from '../encoding/adler32.js';
import { fail } from '../errors.js';

/**
 * Default cap on what a QR payload may inflate to. The largest QR code (version 40-L) holds 2953
 * bytes, so 64 KiB allows a 22:1 ratio, far above what CBOR identity data compresses by, and far
 * below DEFLATE's 1032:1 worst case (a 3 KB code claiming 3 MB).
 */
export const DEFAULT_QR_MAX_DECOMPRESSED_BYTES = 64 * 1024;

/** RFC 1950 §2.2: CM = 8 (deflate), CINFO ≤ 7, FDICT = 0, and FCHECK makes CMF·256 + FLG a multiple of 31. */
export function isZlibHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (flg & 0x20) === 0 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * Inflates an untrusted ZLIB stream (RFC 1950/1951) with a bound on the output, for EU DCC and
 * Claim 169 QR payloads. Threats and answers:
 * - decompression bomb: the output goes into a buffer of at most `maxBytes` + 1 bytes, and an
 *   output that fills it is QR_PAYLOAD_TOO_LARGE. Memory is bounded by `maxBytes`; time by the
 *   input (DEFLATE expands at most 1032:1, and a QR code holds under 3 KB);
 * - corruption: the header is checked (no preset dictionary) and the Adler-32 trailer, which
 *   fflate does not check, is compared with the output (MALFORMED);
 * - junk after the stream: refused, so one payload has one encoding (a lenient reader would let a
 *   code carry hidden bytes).
 * Messages never quote the data.
 */
export function inflateZlib(
  compressed: Uint8Array,
  options: { maxBytes?: number; what?: string } = {},
): Uint8Array {
  const max = options.maxBytes ?? DEFAULT_QR_MAX_DECOMPRESSED_BYTES;
  if (!Number.isSafeInteger(max) || max < 1) throw new TypeError('maxBytes must be a positive integer');
  const what = options.what ?? 'payload';
  if (!isZlibHeader(compressed)) throw fail('MALFORMED', `${what} does not start with a ZLIB header`);
  if (compressed.length < 2 + 1 + 4) throw fail('MALFORMED', `${what} is a truncated ZLIB stream`);
  const body = compressed.subarray(2, compressed.length - 4);
  // A first guess fitting the usual ratio of CBOR; only a payload that fills it is inflated again
  // into the full bound.
  let out = inflateInto(body, Math.min(max + 1, Math.max(1024, body.length * 8)), what);
  if (out.length === out.buffer.byteLength && out.length <= max) out = inflateInto(body, max + 1, what);
  if (out.length > max) throw fail('QR_PAYLOAD_TOO_LARGE', `${what} inflates beyond ${max} bytes`);
  const trailer = compressed.subarray(compressed.length - 4);
  const expected = ((trailer[0]! << 24) | (trailer[1]! << 16) | (trailer[2]! << 8) | trailer[3]!) >>> 0;
  if (adler32(out) !== expected) throw fail('MALFORMED', `${what} fails its ZLIB checksum`);
  // A DEFLATE stream ends inside its last byte, so without that byte it must be incomplete; if it
  // still inflates, that byte was junk after the final block.
  if (body.length > 0 && completes(body.subarray(0, body.length - 1), out.length + 1)) {
    throw fail('MALFORMED', `${what} has bytes after the end of its ZLIB stream`);
  }
  return out;
}

// fflate's one-shot inflate writes into a caller's buffer without growing it: what does not fit
// is dropped (typed arrays ignore writes past their end) and the result is cut at the buffer's
// length, so a result as long as the buffer means "at least this long".
function inflateInto(body: Uint8Array, size: number, what: string): Uint8Array {
  try {
    return inflateSync(body, { out: new Uint8Array(size) });
  } catch (cause) {
    throw fail('MALFORMED', `${what} is not a valid ZLIB stream`, cause);
  }
}

function completes(body: Uint8Array, size: number): boolean {
  try {
    inflateSync(body, { out: new Uint8Array(size) });
    return true;
  } catch {
    return false;
  }
}

/** ZLIB (RFC 1950) at the best compression, as the DCC and Claim 169 specifications ask of issuers. */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return zlibSync(data, { level: 9 });
}
