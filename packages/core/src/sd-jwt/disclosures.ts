import { sha256Base64url } from '../crypto/sha256-base64url.js';
import { base64urlDecodeUtf8, base64urlEncodeUtf8 } from '../encoding/base64url.js';
import { type JsonValue, parseJson } from '../encoding/json.js';
import { fail, TriesteError } from '../errors.js';
import type { Hasher } from '../ports.js';

/** A decoded disclosure (RFC 9901 §4.2.1 object member, §4.2.2 array element when `name` is absent). */
export interface Disclosure {
  /** base64url(SHA-256(ASCII(encoded))) (RFC 9901 §4.2.3): what the payload references. */
  digest: string;
  salt: string;
  name?: string;
  value: JsonValue;
  /** The disclosure exactly as it travels: its digest covers these bytes, never a re-encoding. */
  encoded: string;
}

/** The only `_sd_alg` we issue and accept (RFC 9901 §4.1.1; sha-256 is also the default when absent). */
export const SD_ALG = 'sha-256';

// A SHA-256 digest in base64url without padding is 43 characters. Decoys must be
// indistinguishable from real digests (RFC 9901 §4.2.5), so they have this form too.
const DIGEST_FORM = /^[A-Za-z0-9_-]{43}$/;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_FORM.test(value);
}

export function digestOf(encoded: string, hasher: Hasher): string {
  // Disclosures and SD-JWTs are base64url/ASCII, so UTF-8 encoding is the ASCII encoding §4.2.3 asks for.
  return sha256Base64url(hasher, encoded);
}

/**
 * Builds one disclosure. `salt` is 128 random bits (RFC 9901 §4.2.1 recommends at least that) so a
 * verifier cannot confirm a guessed claim value by hashing candidates.
 */
export function createDisclosure(
  salt: string,
  name: string | undefined,
  value: JsonValue,
  hasher: Hasher,
): { encoded: string; digest: string } {
  const json = JSON.stringify(name === undefined ? [salt, value] : [salt, name, value]);
  const encoded = base64urlEncodeUtf8(json);
  return { encoded, digest: digestOf(encoded, hasher) };
}

/**
 * Decodes one untrusted disclosure. Names `_sd` and `...` are refused (RFC 9901 §7.1 step 3): they
 * would let a disclosure smuggle digests of its own into the reconstructed claims.
 */
export function parseDisclosure(encoded: string, hasher: Hasher): Disclosure {
  let parsed: JsonValue;
  try {
    parsed = parseJson(base64urlDecodeUtf8(encoded, 'disclosure'), 'disclosure');
  } catch (cause) {
    throw fail('DISCLOSURE_MALFORMED', 'disclosure does not decode to JSON', cause);
  }
  if (!Array.isArray(parsed) || (parsed.length !== 2 && parsed.length !== 3)) {
    throw fail('DISCLOSURE_MALFORMED', 'disclosure is not an array of two or three elements');
  }
  const salt = parsed[0];
  if (typeof salt !== 'string') throw fail('DISCLOSURE_MALFORMED', 'disclosure salt is not a string');
  const digest = digestOf(encoded, hasher);
  if (parsed.length === 2) return { digest, salt, value: parsed[1]!, encoded };
  const name = parsed[1];
  if (typeof name !== 'string') throw fail('DISCLOSURE_MALFORMED', 'disclosure claim name is not a string');
  if (name === '_sd' || name === '...')
    throw fail('DISCLOSURE_MALFORMED', 'disclosure uses a reserved claim name');
  return { digest, salt, name, value: parsed[2]!, encoded };
}

/**
 * Sets an own, enumerable member even when the name is `__proto__`: plain assignment would
 * replace the object's prototype instead (a name chosen by an issuer or attacker must stay data).
 */
export function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[name] = value;
  }
}

/**
 * Hostile input must only ever produce coded failures. Anything else thrown while processing it (a
 * RangeError from absurd nesting, a TypeError from a shape we did not foresee) becomes MALFORMED;
 * the original stays as `cause` for operators, the message stays free of input.
 */
export function asCoded(error: unknown): TriesteError {
  return error instanceof TriesteError ? error : fail('MALFORMED', 'SD-JWT could not be processed', error);
}
