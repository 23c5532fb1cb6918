import { fail } from '../errors.js';
import { type CoseAlgorithm, coseAlgorithmName } from './cose-algorithms.js';
import { type CborMap, CborTag, type CborValue, decodeCbor } from './decode-cbor.js';

/** RFC 9052 §4.2 COSE_Sign1_Tagged, and RFC 8392 §6's optional CWT tag in front of it. */
export const COSE_SIGN1_TAG = 18;
export const CWT_TAG = 61;

/** Header labels (RFC 9052 §3.1). */
export const HEADER_ALG = 1;
export const HEADER_CRIT = 2;
export const HEADER_KID = 4;

export interface DecodedCoseSign1 {
  /** Whether the message carried tag 18 (the DCC and Claim 169 do; RFC 9052 also allows it bare). */
  tagged: boolean;
  /** The protected header exactly as sent: it is signed as these bytes, never re-encoded. */
  protectedBytes: Uint8Array;
  protectedHeader: CborMap;
  unprotectedHeader: CborMap;
  alg: CoseAlgorithm;
  /** From the protected header, else the unprotected one (the DCC allows either, §3.3.1). */
  kid?: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * Decodes an untrusted COSE_Sign1 (RFC 9052 §4.2) without verifying it. Refused with MALFORMED:
 * another COSE structure or tag, a detached payload, headers that are not maps, a label in both
 * buckets (§3), `crit` (we understand no extension), an `alg` outside the protected header (an
 * unprotected one could be swapped by anyone) and a `kid` that is not a byte string. An `alg` we
 * do not allow is ALG_NOT_ALLOWED.
 */
export function decodeCoseSign1(
  bytes: Uint8Array,
  options: { allowed?: readonly CoseAlgorithm[] } = {},
): DecodedCoseSign1 {
  let item = decodeCbor(bytes, { what: 'COSE message' });
  if (item instanceof CborTag && item.tag === CWT_TAG) item = item.value;
  let tagged = false;
  if (item instanceof CborTag) {
    if (item.tag !== COSE_SIGN1_TAG) throw fail('MALFORMED', 'COSE message is not a COSE_Sign1 (wrong tag)');
    tagged = true;
    item = item.value;
  }
  if (!Array.isArray(item) || item.length !== 4) {
    throw fail('MALFORMED', 'COSE_Sign1 is not an array of four items');
  }
  const [protectedBytes, unprotectedHeader, payload, signature] = item as [
    CborValue,
    CborValue,
    CborValue,
    CborValue,
  ];
  if (!(protectedBytes instanceof Uint8Array))
    throw fail('MALFORMED', 'COSE_Sign1 protected header is not a byte string');
  if (!(unprotectedHeader instanceof Map))
    throw fail('MALFORMED', 'COSE_Sign1 unprotected header is not a map');
  if (payload === null) throw fail('MALFORMED', 'COSE_Sign1 has a detached payload');
  if (!(payload instanceof Uint8Array)) throw fail('MALFORMED', 'COSE_Sign1 payload is not a byte string');
  if (!(signature instanceof Uint8Array))
    throw fail('MALFORMED', 'COSE_Sign1 signature is not a byte string');

  const protectedHeader = decodeProtected(protectedBytes);
  for (const label of unprotectedHeader.keys()) {
    if (protectedHeader.has(label)) throw fail('MALFORMED', 'COSE header label appears in both buckets');
  }
  if (protectedHeader.has(HEADER_CRIT) || unprotectedHeader.has(HEADER_CRIT)) {
    throw fail('MALFORMED', 'COSE header has critical parameters we do not understand');
  }
  const algId = protectedHeader.get(HEADER_ALG);
  if (algId === undefined) {
    throw fail('MALFORMED', 'COSE_Sign1 has no algorithm in its protected header');
  }
  const alg = typeof algId === 'number' ? coseAlgorithmName(algId) : undefined;
  if (alg === undefined || (options.allowed && !options.allowed.includes(alg))) {
    throw fail('ALG_NOT_ALLOWED', 'COSE_Sign1 uses an algorithm that is not allowed');
  }
  const kid = protectedHeader.get(HEADER_KID) ?? unprotectedHeader.get(HEADER_KID);
  if (kid !== undefined && !(kid instanceof Uint8Array)) {
    throw fail('MALFORMED', 'COSE kid is not a byte string');
  }
  const decoded: DecodedCoseSign1 = {
    tagged,
    protectedBytes,
    protectedHeader,
    unprotectedHeader,
    alg,
    payload,
    signature,
  };
  if (kid !== undefined) decoded.kid = kid;
  return decoded;
}

// RFC 9052 §3: an empty protected header is a zero-length byte string; an encoded empty map is
// tolerated, since both mean "nothing protected".
function decodeProtected(bytes: Uint8Array): CborMap {
  if (bytes.length === 0) return new Map();
  const header = decodeCbor(bytes, { what: 'COSE protected header', maxDepth: 8 });
  if (!(header instanceof Map)) throw fail('MALFORMED', 'COSE protected header is not a map');
  return header;
}
