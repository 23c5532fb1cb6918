import { compactDecrypt, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { encryptJwe } from './encrypt-jwe';

// jose is an independent JWE implementation: what it decrypts, a verifier using it decrypts too
// (the server's direct_post.jwt endpoint does exactly this).
describe('encryptJwe (ECDH-ES, P-256, AES-GCM)', () => {
  for (const enc of ['A128GCM', 'A256GCM'] as const) {
    it(`is decrypted by jose with ${enc}`, async () => {
      const pair = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
      const { x, y } = await exportJWK(pair.publicKey);
      const text = JSON.stringify({ vp_token: { q: ['a~b~'] }, state: 's' });
      const jwe = await encryptJwe(
        new TextEncoder().encode(text),
        { kty: 'EC', crv: 'P-256', x: x!, y: y! },
        { enc, kid: 'k1' },
      );
      const { plaintext, protectedHeader } = await compactDecrypt(jwe, pair.privateKey, {
        keyManagementAlgorithms: ['ECDH-ES'],
        contentEncryptionAlgorithms: [enc],
      });
      expect(new TextDecoder().decode(plaintext)).toBe(text);
      expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc, kid: 'k1' });
    });
  }

  it('is refused by jose once a ciphertext byte is flipped', async () => {
    const pair = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    const { x, y } = await exportJWK(pair.publicKey);
    const jwe = await encryptJwe(
      new TextEncoder().encode('{"a":1}'),
      { kty: 'EC', crv: 'P-256', x: x!, y: y! },
      { enc: 'A128GCM' },
    );
    const parts = jwe.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    await expect(
      compactDecrypt([...parts.slice(0, 3), flipped, parts[4]].join('.'), pair.privateKey),
    ).rejects.toThrow();
  });
});
