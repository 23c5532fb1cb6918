/**
 * RFC 6901 JSON Pointers name the claims an issuer makes selectively disclosable and the claims a
 * holder discloses. Pointers come from the caller (configuration, a wallet's consent screen), not
 * from a token, so a syntax error is a caller's bug: TypeError.
 */

/** Splits a pointer into unescaped reference tokens; `''` (the whole document) gives `[]`. */
export function parseJsonPointer(pointer: string): string[] {
  if (typeof pointer !== 'string') throw new TypeError('a JSON pointer must be a string');
  if (pointer === '') return [];
  if (pointer.charCodeAt(0) !== 0x2f) throw new TypeError('a JSON pointer must be empty or start with "/"');
  const tokens = pointer.slice(1).split('/');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.indexOf('~') === -1) continue;
    // RFC 6901 §3: `~` is only valid as `~0` or `~1`; decode ~1 before ~0 (§4) so `~01` is `~1`.
    if (/~(?![01])/.test(token)) throw new TypeError('a JSON pointer has an invalid "~" escape');
    tokens[i] = token.replace(/~1/g, '/').replace(/~0/g, '~');
  }
  return tokens;
}

/** An RFC 6901 array index: `0` or a decimal without leading zeros (`-` is for appending, not here). */
export function arrayIndex(token: string, length: number): number | undefined {
  if (!/^(?:0|[1-9][0-9]{0,8})$/.test(token)) return undefined;
  const index = Number(token);
  return index < length ? index : undefined;
}
