import { Unzlib } from 'fflate';
import { adler32 } from '../encoding/adler32.js';
import { base64urlDecode } from '../encoding/base64url.js';
import { isJsonObject } from '../encoding/json.js';
import { fail } from '../errors.js';
import { isStatusBits, MAX_STATUS_LIST_SIZE, StatusList } from './status-list.js';

/** Default cap on the decompressed byte array: 16 MiB, i.e. 134 million entries at one bit. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

export interface DecodeStatusListOptions {
  /** Refuse a list whose byte array inflates beyond this many bytes (decompression bombs). */
  maxDecompressedBytes?: number;
}

export interface DecodedStatusList {
  list: StatusList;
  /** `aggregation_uri` (§4.2, §9), kept as given; we never fetch it ourselves. */
  aggregationUri?: string;
}

/**
 * Decodes an untrusted JSON Status List (§4.2), from any issuer, into a bit array. Everything in
 * it is attacker-controlled until the surrounding token is verified, and a verified token can
 * still come from a careless issuer, so every field is checked and every failure is MALFORMED:
 * - `bits` must be one of 1, 2, 4, 8 (§4.1 step 1);
 * - `lst` must be strict base64url (RFC 7515 §2) of a ZLIB stream (RFC 1950: no preset
 *   dictionary, Adler-32 checked) holding a non-empty byte array;
 * - decompression bomb: DEFLATE expands up to 1032:1, so a 20 KB `lst` can claim 20 MB. We inflate
 *   in bounded steps and stop as soon as the output passes `maxDecompressedBytes`, before the
 *   memory is spent.
 */
export function decodeStatusList(value: unknown, options: DecodeStatusListOptions = {}): DecodedStatusList {
  const max = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new TypeError('maxDecompressedBytes must be a positive integer');
  }
  if (!isJsonObject(value)) throw fail('MALFORMED', 'status_list is not a JSON object');
  const { bits, lst, aggregation_uri: aggregationUri } = value;
  if (!isStatusBits(bits)) throw fail('MALFORMED', 'status_list bits is not 1, 2, 4 or 8');
  if (typeof lst !== 'string' || lst === '') {
    throw fail('MALFORMED', 'status_list lst is not a non-empty string');
  }
  if (aggregationUri !== undefined && typeof aggregationUri !== 'string') {
    throw fail('MALFORMED', 'status_list aggregation_uri is not a string');
  }
  const compressed = base64urlDecode(lst, 'status_list lst');
  const limit = Math.min(max, Math.floor(MAX_STATUS_LIST_SIZE / (8 / bits)));
  const bytes = inflateZlib(compressed, limit);
  if (bytes.length === 0) throw fail('MALFORMED', 'status_list lst holds an empty byte array');
  const decoded: DecodedStatusList = { list: StatusList.fromBytes(bytes, bits) };
  if (aggregationUri !== undefined) decoded.aggregationUri = aggregationUri;
  return decoded;
}

// Compressed bytes fed to the inflater per step: each step can emit at most 1032 times this
// (DEFLATE's maximum ratio), so the output overshoots the limit by at most ~4 MiB before we stop.
const STEP = 4096;
const MAX_DEFLATE_RATIO = 1032;

function inflateZlib(compressed: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const inflater = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > limit) {
      tooLarge = true;
      return;
    }
    chunks.push(chunk);
  });
  try {
    // A small input cannot exceed the limit at all: inflate it in one step.
    const step = compressed.length * MAX_DEFLATE_RATIO <= limit ? compressed.length : STEP;
    for (let at = 0; at < compressed.length && !tooLarge; at += step) {
      const end = Math.min(at + step, compressed.length);
      inflater.push(compressed.subarray(at, end), end === compressed.length);
    }
  } catch (cause) {
    throw fail('MALFORMED', 'status_list lst is not a valid ZLIB stream', cause);
  }
  if (tooLarge) throw fail('MALFORMED', `status_list lst inflates beyond ${limit} bytes`);
  const out = concat(chunks, total);
  // fflate strips the RFC 1950 trailer without checking it; a corrupted list must not decode.
  const trailer = compressed.subarray(compressed.length - 4);
  const expected = ((trailer[0]! << 24) | (trailer[1]! << 16) | (trailer[2]! << 8) | trailer[3]!) >>> 0;
  if (adler32(out) !== expected) throw fail('MALFORMED', 'status_list lst fails its ZLIB checksum');
  return out;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
