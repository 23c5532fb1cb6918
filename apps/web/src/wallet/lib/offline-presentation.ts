import { SD_JWT_QR_MAX_BYTES, utf8Encode } from '@trieste/core';
import { presentCredential } from './answer-request';
import type { StoredCredential } from './wallet-db';
import { WalletError } from './wallet-error';

/** KB-JWT audience prefix of an offline presentation: no client_id exists without a network. */
export const OFFLINE_AUDIENCE_PREFIX = 'offline:';

export interface OfflinePresentation {
  text: string;
  bytes: number;
  audience: string;
  createdAt: number;
}

/**
 * The audience of an offline presentation: `offline:<what the verifier asked for>` (a code it
 * shows or says), or `offline:any` when it named none. Printable ASCII only, bounded, so the KB-JWT
 * stays small and the audience cannot smuggle control characters into a verifier's display.
 */
export function offlineAudience(chosen: string): string {
  const value = chosen.trim();
  if (value === '') return `${OFFLINE_AUDIENCE_PREFIX}any`;
  if (!/^[\x21-\x7e]{1,64}$/.test(value))
    throw new WalletError('LINK_INVALID', 'the verifier code must be 1–64 printable ASCII characters');
  return `${OFFLINE_AUDIENCE_PREFIX}${value}`;
}

/**
 * A compact SD-JWT presentation of only the chosen claims with a KB-JWT (aud `offline:…`, optional
 * verifier challenge as nonce), for a QR code in byte mode. Refused when it would not fit the
 * QR size limit (docs/offline-qr.md: SD_JWT_QR_MAX_BYTES, version 40-L): the holder then shares
 * fewer claims, or presents online.
 */
export async function buildOfflinePresentation(
  credential: StoredCredential,
  pointers: readonly string[],
  options: { audience: string; nonce?: string; now: number },
): Promise<OfflinePresentation> {
  const text = await presentCredential(credential, pointers, {
    aud: options.audience,
    ...(options.nonce ? { nonce: options.nonce } : {}),
  });
  const bytes = utf8Encode(text).length;
  if (bytes > SD_JWT_QR_MAX_BYTES)
    throw new WalletError('QR_TOO_LARGE', `the presentation is ${bytes} bytes, over ${SD_JWT_QR_MAX_BYTES}`);
  return { text, bytes, audience: options.audience, createdAt: options.now };
}

/** The modules of a QR code for `text` (byte mode, error correction L for the most capacity). */
export async function qrModules(
  text: string,
): Promise<{ size: number; dark: (x: number, y: number) => boolean }> {
  const module = await import('qrcode');
  // A CommonJS module: its functions are named exports or members of the default, by bundler.
  const create = module.create ?? (module as unknown as { default: typeof module }).default.create;
  const qr = create(text, { errorCorrectionLevel: text.length > 1200 ? 'L' : 'M' });
  const { size, data } = qr.modules;
  return { size, dark: (x, y) => data[y * size + x] === 1 };
}
