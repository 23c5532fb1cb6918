// Signing of c2sp.org/signed-note notes with Ed25519 keys (signed-note §Ed25519 signatures).
import { base64Encode } from '../encoding/base64.js';
import { utf8Encode } from '../encoding/utf8.js';
import type { Hasher, Signer } from '../ports.js';
import {
  ALG_ED25519,
  concatBytes,
  ed25519PublicKey,
  hasOnlyNoteCharacters,
  isValidKeyName,
  MAX_NOTE_LENGTH,
  SIGNATURE_PREFIX,
  signEd25519,
} from './note-syntax.js';
import { noteKeyHash } from './verifier-key.js';

export interface NoteSigner {
  /** The key name of the signature line (for a log, its origin: tlog-checkpoint §Signatures). */
  name: string;
  /** An Ed25519 signer; the signature is Ed25519 over the note text (RFC 8032). */
  signer: Signer;
}

/**
 * Signs `text` with each signer and returns the note: the text, a blank line, then one line
 * "— <name> base64(key ID || signature)" per signer (signed-note §Format, §Signatures), the key ID
 * being SHA-256(name || 0x0A || 0x01 || public key)[:4] (§Ed25519 signatures).
 */
export async function signNote(text: string, signers: NoteSigner[], hasher: Hasher): Promise<string> {
  if (typeof text !== 'string' || !text.endsWith('\n'))
    throw new TypeError('note text must end with a newline');
  if (!hasOnlyNoteCharacters(text)) throw new TypeError('note text contains a control character');
  if (text.length > MAX_NOTE_LENGTH) throw new TypeError('note text is too long');
  if (!Array.isArray(signers) || signers.length === 0)
    throw new TypeError('a note needs at least one signer');
  const message = utf8Encode(text);
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const { name, signer } of signers) {
    if (!isValidKeyName(name)) throw new TypeError('key name must be non-empty, without spaces or "+"');
    const publicKey = ed25519PublicKey(signer, 'note signer');
    const keyHash = noteKeyHash(hasher, name, ALG_ED25519, publicKey);
    // Two lines for one key would make the note ambiguous; verifiers refuse it.
    const id = `${name}+${keyHash.join('.')}`;
    if (seen.has(id)) throw new TypeError('the same key is listed twice');
    seen.add(id);
    const signature = await signEd25519(signer, message, 'note signer');
    lines.push(`${SIGNATURE_PREFIX}${name} ${base64Encode(concatBytes(keyHash, signature))}\n`);
  }
  return `${text}\n${lines.join('')}`;
}
