import { MIN_RSA_MODULUS_BITS, signatureLength, verifyParameters } from './cose-algorithms.js';
import type { DecodedCoseSign1 } from './decode-cose-sign1.js';
import { sigStructure1 } from './sig-structure.js';

/**
 * Checks a decoded COSE_Sign1's signature (RFC 9052 §4.4) with a WebCrypto public key imported for
 * exactly the message's algorithm (see importCoseKey): true only when it verifies. A signature of
 * the wrong length is false without asking WebCrypto, so no library is handed input it might
 * interpret loosely (e.g. DER instead of r‖s).
 */
export async function verifyCoseSign1(
  message: DecodedCoseSign1,
  key: CryptoKey,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<boolean> {
  const modulusBits = (key.algorithm as Partial<RsaHashedKeyAlgorithm>).modulusLength;
  if (message.alg === 'PS256' && (modulusBits === undefined || modulusBits < MIN_RSA_MODULUS_BITS))
    return false;
  if (message.signature.length !== signatureLength(message.alg, modulusBits)) return false;
  const data = sigStructure1(message.protectedBytes, message.payload);
  try {
    return await subtle.verify(
      verifyParameters(message.alg),
      key,
      message.signature as BufferSource,
      data as BufferSource,
    );
  } catch {
    // A key imported for another algorithm: not a valid signature by this key.
    return false;
  }
}
