import type { Signer } from '../ports.js';
import { COSE_ALGORITHM_IDS } from './cose-algorithms.js';
import { CborTag } from './decode-cbor.js';
import { COSE_SIGN1_TAG, HEADER_ALG, HEADER_KID } from './decode-cose-sign1.js';
import { encodeCbor } from './encode-cbor.js';
import { sigStructure1 } from './sig-structure.js';

/**
 * Signs `payload` as a COSE_Sign1_Tagged (RFC 9052 §4.2, §4.4) through the Signer port, so the
 * private key can stay in custody. `alg` and `kid` go in the protected header, where a verifier
 * can rely on them. The Signer's ES256 signatures are already r‖s, the form COSE uses too
 * (RFC 9053 §2.1).
 */
export async function signCoseSign1(
  payload: Uint8Array,
  signer: Signer,
  options: { kid?: Uint8Array } = {},
): Promise<Uint8Array> {
  const header = new Map<number, number | Uint8Array>([[HEADER_ALG, COSE_ALGORITHM_IDS[signer.alg]]]);
  if (options.kid !== undefined) header.set(HEADER_KID, options.kid);
  const protectedBytes = encodeCbor(header);
  const signature = await signer.sign(sigStructure1(protectedBytes, payload));
  return encodeCbor(new CborTag(COSE_SIGN1_TAG, [protectedBytes, new Map(), payload, signature]));
}
