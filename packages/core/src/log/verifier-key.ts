// Verifier keys ("vkeys"), the text form in which a note signer's public key is configured:
//
//   <key name> "+" <8 hex digits: key ID> "+" base64(<signature type byte> || <public key>)
//
// (c2sp.org/signed-note §Verifier keys; golang.org/x/mod/sumdb/note NewVerifier). A vkey is trust
// material handed to the verifier: it is checked as strictly as a note, and its key ID must be
// the one its name and key derive, so a mistyped or tampered vkey fails here, not later.
import { base64Encode } from '../encoding/base64.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { utf8Encode } from '../encoding/utf8.js';
import { fail } from '../errors.js';
import type { OkpPublicJwk } from '../jwk/types.js';
import type { Hasher, Signer } from '../ports.js';
import {
  ALG_COSIGNATURE_V1,
  ALG_ED25519,
  bytesEqual,
  concatBytes,
  decodeNoteBase64,
  ed25519PublicKey,
  isValidKeyName,
  toHex,
} from './note-syntax.js';

/** 'ed25519': signed-note Ed25519 (0x01); 'cosignature': tlog-cosignature cosignature/v1 (0x04). */
export type VerifierKeyType = 'ed25519' | 'cosignature';

export interface ParsedVerifierKey {
  name: string;
  /** The 4-byte key ID, as it appears (big-endian) at the start of each signature. */
  keyHash: Uint8Array;
  /** The signature type identifier byte (signed-note §Signature types). */
  alg: number;
  /** The raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  type: VerifierKeyType;
  /** The same public key as a JWK, for the SignatureVerifier port. */
  publicJwk: OkpPublicJwk;
  /** The vkey in canonical form (lowercase hex). */
  vkey: string;
}

const MAX_VKEY_LENGTH = 4096;
const TYPES: Record<number, VerifierKeyType> = {
  [ALG_ED25519]: 'ed25519',
  [ALG_COSIGNATURE_V1]: 'cosignature',
};

/**
 * The key ID signed-note §Signatures recommends, which tlog-cosignature §Format makes mandatory
 * for cosignatures: SHA-256(key name || 0x0A || signature type || public key)[:4].
 */
export function noteKeyHash(
  hasher: Hasher,
  name: string,
  algByte: number,
  publicKey: Uint8Array,
): Uint8Array {
  if (!Number.isInteger(algByte) || algByte < 0 || algByte > 255)
    throw new TypeError('algByte must be a byte');
  const digest = hasher.sha256(concatBytes(utf8Encode(name), new Uint8Array([0x0a, algByte]), publicKey));
  return digest.slice(0, 4);
}

/**
 * Formats the vkey of an Ed25519 public key: a signed-note key (type 0x01) by default, or a
 * tlog-cosignature witness key (type 0x04, tlog-cosignature §Format) with `type: 'cosignature'`.
 */
export function formatVerifierKey(
  hasher: Hasher,
  name: string,
  publicKeyEd25519: Uint8Array,
  type: VerifierKeyType = 'ed25519',
): string {
  if (!isValidKeyName(name)) throw new TypeError('key name must be non-empty, without spaces or "+"');
  if (!(publicKeyEd25519 instanceof Uint8Array) || publicKeyEd25519.length !== 32) {
    throw new TypeError('an Ed25519 public key is 32 bytes');
  }
  const alg = algOf(type);
  const hash = noteKeyHash(hasher, name, alg, publicKeyEd25519);
  return `${name}+${toHex(hash)}+${base64Encode(concatBytes(new Uint8Array([alg]), publicKeyEd25519))}`;
}

/** The vkey of an Ed25519 Signer's public key (what a log or witness publishes). */
export function signerVerifierKey(
  hasher: Hasher,
  name: string,
  signer: Signer,
  type: VerifierKeyType = 'ed25519',
): string {
  return formatVerifierKey(hasher, name, ed25519PublicKey(signer, 'signer'), type);
}

/**
 * Parses a vkey. Supports Ed25519 (0x01) and cosignature/v1 (0x04) keys; any other signature
 * type, a bad name, bad hex or base64, a wrong key length or a key ID that does not match the
 * name and key is LOG_NOTE_MALFORMED.
 */
export function parseVerifierKey(hasher: Hasher, vkey: string): ParsedVerifierKey {
  if (typeof vkey !== 'string') throw new TypeError('a verifier key is a string');
  if (vkey.length > MAX_VKEY_LENGTH) throw fail('LOG_NOTE_MALFORMED', 'verifier key is too long');
  // The name and the hex contain no '+'; the base64 may, so only the first two split.
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw fail('LOG_NOTE_MALFORMED', 'verifier key is not name+hash+key');
  const name = vkey.slice(0, first);
  const hash16 = vkey.slice(first + 1, second);
  const key64 = vkey.slice(second + 1);
  if (!isValidKeyName(name)) throw fail('LOG_NOTE_MALFORMED', 'verifier key has an invalid key name');
  if (!/^[0-9a-fA-F]{8}$/.test(hash16))
    throw fail('LOG_NOTE_MALFORMED', 'verifier key ID is not 8 hex digits');
  const keyData = decodeNoteBase64(key64, 'verifier key');
  const alg = keyData[0];
  const type = alg === undefined ? undefined : TYPES[alg];
  if (alg === undefined || type === undefined) {
    throw fail('LOG_NOTE_MALFORMED', 'verifier key has an unsupported signature type');
  }
  const publicKey = keyData.slice(1);
  if (publicKey.length !== 32) throw fail('LOG_NOTE_MALFORMED', 'verifier key is not a 32-byte Ed25519 key');
  const keyHash = noteKeyHash(hasher, name, alg, publicKey);
  if (!bytesEqual(keyHash, hexBytes(hash16))) {
    throw fail('LOG_NOTE_MALFORMED', 'verifier key ID does not match its name and key');
  }
  return {
    name,
    keyHash,
    alg,
    publicKey,
    type,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(publicKey) },
    vkey: `${name}+${toHex(keyHash)}+${key64}`,
  };
}

function algOf(type: VerifierKeyType): number {
  if (type === 'ed25519') return ALG_ED25519;
  if (type === 'cosignature') return ALG_COSIGNATURE_V1;
  throw new TypeError("type must be 'ed25519' or 'cosignature'");
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
