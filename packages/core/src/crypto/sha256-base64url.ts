import { base64urlEncode } from '../encoding/base64url.js';
import { utf8Encode } from '../encoding/utf8.js';
import type { Hasher } from '../ports.js';

/** base64url(SHA-256(UTF-8(text))) through the hasher's fast path when it has one. */
export function sha256Base64url(hasher: Hasher, text: string): string {
  return hasher.sha256Base64url
    ? hasher.sha256Base64url(text)
    : base64urlEncode(hasher.sha256(utf8Encode(text)));
}
