import { describe, expect, it } from 'vitest';
import { generatePrivateJwk, nodeSigner } from '../crypto/node-crypto.js';
import { isAdapterError } from '../errors.js';
import { deriveIssuerKeyEncryptionKey, generateMasterKey } from './master-key.js';
import { openSealedPrivateKey, sealPrivateKey } from './seal-private-key.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAdapterError(error) ? error.code : `uncoded: ${String(error)}`;
  }
  return undefined;
}

describe('sealPrivateKey / openSealedPrivateKey', () => {
  const key = deriveIssuerKeyEncryptionKey(generateMasterKey());
  const jwk = generatePrivateJwk('ES256');
  const kid = nodeSigner(jwk).kid;

  it('round-trips a private JWK with a fresh nonce each time', () => {
    const a = sealPrivateKey(key, kid, jwk);
    const b = sealPrivateKey(key, kid, jwk);
    expect(a.nonce).toHaveLength(12);
    expect(Buffer.from(a.nonce).equals(b.nonce)).toBe(false);
    expect(openSealedPrivateKey(key, kid, a)).toEqual(jwk);
    expect(Buffer.from(a.ciphertext).toString('latin1')).not.toContain(jwk.d);
  });

  it('refuses a wrong master key, another kid (AAD) and a tampered ciphertext', () => {
    const sealed = sealPrivateKey(key, kid, jwk);
    const otherKey = deriveIssuerKeyEncryptionKey(generateMasterKey());
    expect(codeOf(() => openSealedPrivateKey(otherKey, kid, sealed))).toBe('MASTER_KEY_INVALID');
    expect(codeOf(() => openSealedPrivateKey(key, `${kid}x`, sealed))).toBe('MASTER_KEY_INVALID');
    const tampered = Uint8Array.from(sealed.ciphertext);
    tampered[0] = tampered[0]! ^ 1;
    expect(codeOf(() => openSealedPrivateKey(key, kid, { ...sealed, ciphertext: tampered }))).toBe(
      'MASTER_KEY_INVALID',
    );
    expect(codeOf(() => openSealedPrivateKey(key, kid, { ...sealed, nonce: new Uint8Array(8) }))).toBe(
      'MASTER_KEY_INVALID',
    );
  });
});
