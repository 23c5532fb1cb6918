import { AdapterError } from '../errors.js';
import { MASTER_KEY_LENGTH, MasterKey } from './master-key.js';

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}$/;

/**
 * Parses a master key given as text (e.g. TRIESTE_MASTER_KEY, read by the CLI): 32 bytes as 64 hex
 * digits or 43 unpadded base64url characters; surrounding whitespace is ignored. Anything else is
 * MASTER_KEY_INVALID, and the message never echoes the text.
 */
export function parseMasterKey(text: string): MasterKey {
  if (typeof text !== 'string') throw new TypeError('master key text must be a string');
  const trimmed = text.trim();
  let bytes: Buffer | undefined;
  if (HEX.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (BASE64URL.test(trimmed)) {
    bytes = Buffer.from(trimmed, 'base64url');
    // Refuse non-canonical encodings (stray bits in the last character): one key, one spelling.
    if (bytes.toString('base64url') !== trimmed) bytes = undefined;
  }
  if (!bytes || bytes.length !== MASTER_KEY_LENGTH) {
    throw new AdapterError(
      'MASTER_KEY_INVALID',
      'master key must be 32 bytes as 64 hex digits or 43 base64url characters',
    );
  }
  try {
    return MasterKey.fromBytes(bytes);
  } finally {
    bytes.fill(0);
  }
}
