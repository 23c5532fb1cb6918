import { sha256 } from '@noble/hashes/sha2.js';

/** Length of an EU DCC key identifier. */
export const DCC_KID_LENGTH = 8;

/**
 * The EU DCC `kid` of a Document Signer Certificate: the first 8 bytes of the SHA-256 of its DER
 * encoding (eHealth Network, "Technical Specifications for EU Digital COVID Certificates",
 * Volume 1, §3.3.1). Short, so two certificates may share one: verifiers try every match.
 */
export function dccKid(certificateDer: Uint8Array): Uint8Array {
  return sha256(certificateDer).subarray(0, DCC_KID_LENGTH);
}
