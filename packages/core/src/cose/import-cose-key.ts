import { fail } from '../errors.js';
import { type CoseAlgorithm, importParameters } from './cose-algorithms.js';

/** Public key material as trust entries hold it: an X.509 SubjectPublicKeyInfo, or a public JWK. */
export type CoseKeySource = { spki: Uint8Array } | { jwk: JsonWebKey };

/**
 * Imports a public key for one algorithm only, non-extractable, usable to verify only. A key that
 * WebCrypto cannot import for that algorithm (wrong type, wrong curve, bad point) is KEY_INVALID.
 */
export async function importCoseKey(
  source: CoseKeySource,
  alg: CoseAlgorithm,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<CryptoKey> {
  try {
    return 'spki' in source
      ? await subtle.importKey('spki', source.spki as BufferSource, importParameters(alg), false, ['verify'])
      : await subtle.importKey('jwk', source.jwk, importParameters(alg), false, ['verify']);
  } catch (cause) {
    throw fail('KEY_INVALID', `public key cannot be imported for ${alg}`, cause);
  }
}
