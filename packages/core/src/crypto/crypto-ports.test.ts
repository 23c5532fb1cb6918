// One contract for both CryptoPorts: the browser's (WebCrypto + noble) and the server's
// (node:crypto). Whatever one signs or hashes, the other must agree with.
import { describe, expect, it } from 'vitest';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '../../../adapters/src/crypto/node-crypto.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { utf8Encode } from '../encoding/utf8.js';
import { toPublicJwk } from '../jwk/parse-public-jwk.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import type { PublicJwk, SignatureAlg } from '../jwk/types.js';
import type { CryptoPort, Signer } from '../ports.js';
import { generateWebCryptoKeyPair, signerFromPrivateJwk, webCrypto, webCryptoSigner } from './web-crypto.js';

const PORTS: Array<[string, () => CryptoPort]> = [
  ['webCrypto', () => webCrypto()],
  ['nodeCrypto', () => nodeCrypto()],
];

describe.each(PORTS)('%s', (_name, make) => {
  const port = make();

  it('refuses keys it cannot use with KEY_INVALID, and wrong signatures with false', async () => {
    const offCurve: PublicJwk = { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) };
    await expect(port.verify('ES256', offCurve, new Uint8Array(1), new Uint8Array(64))).rejects.toMatchObject(
      {
        code: 'KEY_INVALID',
      },
    );
    const signer = nodeSigner(generatePrivateJwk('ES256'));
    const data = utf8Encode('hello');
    const signature = await signer.sign(data);
    const tampered = signature.slice();
    tampered[10]! ^= 1;
    expect(await port.verify('ES256', signer.publicJwk, data, tampered)).toBe(false);
    expect(await port.verify('ES256', signer.publicJwk, utf8Encode('hellp'), signature)).toBe(false);
    expect(await port.verify('ES256', signer.publicJwk, data, signature.subarray(0, 63))).toBe(false);
    // An EC key is never used for EdDSA, whatever the caller asks.
    expect(await port.verify('EdDSA', signer.publicJwk, data, signature).catch(() => false)).toBe(false);
  });

  it('hashes as SHA-256 does (FIPS 180-2 test vector) and agrees on the base64url fast path', () => {
    expect(base64urlEncode(port.sha256(utf8Encode('abc')))).toBe(
      'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0',
    );
    for (const text of ['', 'abc', 'é ü 🌍', 'x'.repeat(1000)]) {
      const viaBytes = base64urlEncode(port.sha256(utf8Encode(text)));
      expect(port.sha256Base64url ? port.sha256Base64url(text) : viaBytes).toBe(viaBytes);
    }
  });

  it('returns fresh random bytes of the asked length', () => {
    const a = port.bytes(32);
    const b = port.bytes(32);
    expect(a).toHaveLength(32);
    expect(base64urlEncode(a)).not.toBe(base64urlEncode(b));
    expect(port.bytes(0)).toHaveLength(0);
    expect(port.bytes(70_000)).toHaveLength(70_000);
  });

  it.each(['ES256', 'EdDSA'] as SignatureAlg[])(
    'verifies %s signatures made by either implementation',
    async (alg) => {
      const jwk = generatePrivateJwk(alg);
      const signers: Signer[] = [nodeSigner(jwk), await signerFromPrivateJwk(jwk, port)];
      const data = utf8Encode('the same bytes');
      for (const signer of signers) {
        expect(signer.kid).toBe(jwkThumbprint(toPublicJwk(jwk), port));
        expect(await port.verify(alg, toPublicJwk(jwk), data, await signer.sign(data))).toBe(true);
      }
    },
  );
});

describe('WebCrypto holder keys', () => {
  it.each(['ES256', 'EdDSA'] as SignatureAlg[])(
    'generates a non-extractable %s key whose signatures node:crypto accepts',
    async (alg) => {
      const port = webCrypto();
      const { privateKey, publicJwk } = await generateWebCryptoKeyPair(alg);
      expect(privateKey.extractable).toBe(false);
      expect(Object.keys(publicJwk).sort()).toEqual(
        alg === 'ES256' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'],
      );
      const signer = await webCryptoSigner(privateKey, publicJwk, port);
      const data = utf8Encode('wallet');
      expect(await nodeCrypto().verify(alg, publicJwk, data, await signer.sign(data))).toBe(true);
    },
  );

  it('refuses a private key that does not import, with KEY_INVALID', async () => {
    const jwk = { ...generatePrivateJwk('ES256'), d: 'A'.repeat(43) };
    await expect(signerFromPrivateJwk(jwk, webCrypto())).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });
});
