import { encodeCbor } from './encode-cbor.js';

const EMPTY = new Uint8Array(0);

/**
 * RFC 9052 §4.4: what a COSE_Sign1 signature covers — the CBOR array
 * ["Signature1", body_protected, external_aad, payload], with the protected header as the exact
 * bytes received (never re-encoded) and, for QR codes, an empty external_aad.
 */
export function sigStructure1(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  externalAad: Uint8Array = EMPTY,
): Uint8Array {
  return encodeCbor(['Signature1', protectedBytes, externalAad, payload]);
}
