import { sha256 } from '@noble/hashes/sha2.js';
import { decodeJsonObjectPart, type JsonObject } from '../encoding/json.js';
import { fail } from '../errors.js';
import type { Hasher } from '../ports.js';
import { asCoded, type Disclosure, parseDisclosure } from './disclosures.js';
import { splitSdJwt } from './split-sd-jwt.js';

export interface DecodedSdJwt {
  header: JsonObject;
  payload: JsonObject;
  disclosures: Disclosure[];
  kbJwt?: string;
}

const defaultHasher: Hasher = { sha256: (data) => sha256(data) };

/**
 * Decodes an SD-JWT or presentation for a holder's wallet or a display, WITHOUT verifying anything:
 * no signature, no digest linkage, no time. Never base a trust decision on its output; use
 * verifySdJwtVc. Failures are still coded (MALFORMED, DISCLOSURE_MALFORMED).
 */
export function decodeSdJwt(text: string, hasher: Hasher = defaultHasher): DecodedSdJwt {
  try {
    const parts = splitSdJwt(text);
    const segments = parts.jws.split('.');
    if (segments.length !== 3) throw fail('MALFORMED', 'SD-JWT does not start with a compact JWS');
    const decoded: DecodedSdJwt = {
      header: decodeJsonObjectPart(segments[0]!, 'SD-JWT header'),
      payload: decodeJsonObjectPart(segments[1]!, 'SD-JWT payload'),
      disclosures: parts.disclosures.map((encoded) => parseDisclosure(encoded, hasher)),
    };
    if (parts.kbJwt !== undefined) decoded.kbJwt = parts.kbJwt;
    return decoded;
  } catch (error) {
    throw asCoded(error);
  }
}
