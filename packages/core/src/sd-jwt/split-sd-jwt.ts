import { fail } from '../errors.js';

export interface SdJwtParts {
  /** The issuer-signed JWT. */
  jws: string;
  /** Encoded disclosures, in the order they appear. */
  disclosures: string[];
  /** The Key Binding JWT, when the text ends with one. */
  kbJwt?: string;
  /** Everything up to and including the last `~`: the input of `sd_hash` (RFC 9901 §4.3.1). */
  withoutKb: string;
}

/**
 * Splits the compact form `<JWS>~<D1>~...~<Dn>~[<KB-JWT>]` (RFC 9901 §4). Parts are only cut here;
 * decoding happens where each part is used.
 */
export function splitSdJwt(text: unknown): SdJwtParts {
  if (typeof text !== 'string') throw fail('MALFORMED', 'SD-JWT is not a string');
  const first = text.indexOf('~');
  if (first <= 0) throw fail('MALFORMED', 'SD-JWT has no "~" separator');
  const last = text.lastIndexOf('~');
  const jws = text.slice(0, first);
  const disclosures = first === last ? [] : text.slice(first + 1, last).split('~');
  for (const disclosure of disclosures) {
    if (disclosure === '') throw fail('DISCLOSURE_MALFORMED', 'SD-JWT has an empty disclosure');
  }
  const tail = text.slice(last + 1);
  const parts: SdJwtParts = { jws, disclosures, withoutKb: text.slice(0, last + 1) };
  if (tail !== '') parts.kbJwt = tail;
  return parts;
}
