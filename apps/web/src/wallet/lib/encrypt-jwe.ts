import { base64urlEncode, type PublicJwk, utf8Encode } from '@trieste/core';
import { walletCrypto } from './holder-key';

export type ContentEncryption = 'A128GCM' | 'A256GCM';

function uint32(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The Concat KDF of RFC 7518 §4.6.2 (NIST SP 800-56A §5.8.1) for ECDH-ES in Direct Key Agreement
 * mode: AlgorithmID is the `enc` value, PartyUInfo and PartyVInfo are empty (no apu/apv sent),
 * SuppPubInfo the key length in bits. One SHA-256 round gives up to 256 bits.
 */
export function concatKdf(z: Uint8Array, enc: ContentEncryption): Uint8Array {
  const bits = enc === 'A128GCM' ? 128 : 256;
  const algorithmId = utf8Encode(enc);
  const otherInfo = concat(uint32(algorithmId.length), algorithmId, uint32(0), uint32(0), uint32(bits));
  return walletCrypto.sha256(concat(uint32(1), z, otherInfo)).slice(0, bits / 8);
}

/**
 * A compact JWE (RFC 7516) with ECDH-ES key agreement (RFC 7518 §4.6) on P-256 and AES-GCM
 * content encryption, as OpenID4VP 1.0 §8.3 (direct_post.jwt) asks, written on WebCrypto alone.
 * A fresh ephemeral key per message; its private half is never exported and is dropped after use.
 */
export async function encryptJwe(
  plaintext: Uint8Array,
  recipient: PublicJwk,
  options: { enc: ContentEncryption; kid?: string },
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<string> {
  if (recipient.kty !== 'EC') throw new TypeError('ECDH-ES needs a P-256 key');
  const ecdh = { name: 'ECDH', namedCurve: 'P-256' } as const;
  const recipientKey = await subtle.importKey(
    'jwk',
    { kty: 'EC', crv: 'P-256', x: recipient.x, y: recipient.y },
    ecdh,
    false,
    [],
  );
  const ephemeral = (await subtle.generateKey(ecdh, true, ['deriveBits'])) as CryptoKeyPair;
  const epk = await subtle.exportKey('jwk', ephemeral.publicKey);
  const z = new Uint8Array(
    await subtle.deriveBits({ name: 'ECDH', public: recipientKey }, ephemeral.privateKey, 256),
  );
  const cek = await subtle.importKey('raw', concatKdf(z, options.enc) as BufferSource, 'AES-GCM', false, [
    'encrypt',
  ]);
  const header = {
    alg: 'ECDH-ES',
    enc: options.enc,
    ...(options.kid === undefined ? {} : { kid: options.kid }),
    epk: { kty: 'EC', crv: 'P-256', x: epk.x, y: epk.y },
  };
  const protectedHeader = base64urlEncode(utf8Encode(JSON.stringify(header)));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: utf8Encode(protectedHeader) as BufferSource, tagLength: 128 },
      cek,
      plaintext as BufferSource,
    ),
  );
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  return `${protectedHeader}..${base64urlEncode(iv)}.${base64urlEncode(ciphertext)}.${base64urlEncode(tag)}`;
}
