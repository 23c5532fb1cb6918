import {
  generateWebCryptoKeyPair,
  type PublicJwk,
  type Signer,
  webCrypto,
  webCryptoSigner,
} from '@trieste/core';
import { WalletError } from './wallet-error';

/** The portable crypto port (WebCrypto + noble SHA-256) every wallet operation uses. */
export const walletCrypto = webCrypto();

/**
 * A fresh ES256 holder key, one per credential: the issuer binds each key to one holder, and a
 * key used for one credential only cannot link that credential's presentations to another's.
 * `extractable: false`: WebCrypto will sign with it but never export the private key.
 */
export async function createHolderKey(): Promise<{ privateKey: CryptoKey; publicJwk: PublicJwk }> {
  if (!globalThis.crypto?.subtle)
    throw new WalletError('STORAGE_UNAVAILABLE', 'WebCrypto needs a secure context (https or localhost)');
  return generateWebCryptoKeyPair('ES256', { extractable: false });
}

/** The core's Signer over a stored holder key. */
export function holderSigner(key: { privateKey: CryptoKey; publicJwk: PublicJwk }): Promise<Signer> {
  return webCryptoSigner(key.privateKey, key.publicJwk, walletCrypto);
}
