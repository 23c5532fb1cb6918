import { base64Decode } from '../encoding/base64.js';
import { isJsonObject, type JsonObject } from '../encoding/json.js';
import { fail } from '../errors.js';
import { algForJwk, parsePublicJwk } from '../jwk/parse-public-jwk.js';
import type { PublicJwk } from '../jwk/types.js';
import { parseIsoTime } from './iso-time.js';
import { readCertificateKey } from './read-certificate-key.js';
import {
  TRUST_LIST_LIMITS as LIMITS,
  type Recognition,
  TRUST_LIST_VERSION,
  type TrustedIssuer,
  type TrustedIssuerStatus,
  type TrustList,
  type TrustListKey,
  type TrustListOperator,
  type TrustStatusChange,
} from './trust-list.js';

// A strict reader of the trust list payload (docs/trust-list-profile.md). The list decides which
// keys a verifier accepts credentials from, so nothing is guessed: every member is checked, an
// unknown member is refused (a verifier must not skip a constraint it does not understand; a new
// member means a new profile version), and so is every duplicate, bound and ordering violation.
// Failures are MALFORMED, or KEY_INVALID for a key or certificate; messages name the field, never
// the value, which is untrusted text.

const LIST_MEMBERS = [
  'version',
  'sequence_number',
  'operator',
  'list_uri',
  'issued_at',
  'next_update',
  'issuers',
  'recognitions',
];
const OPERATOR_MEMBERS = ['name', 'jurisdiction', 'uri', 'keys'];
const ISSUER_MEMBERS = [
  'id',
  'name',
  'keys',
  'credential_types',
  'valid_from',
  'valid_until',
  'status',
  'status_starting_time',
  'history',
];
const HISTORY_MEMBERS = ['status', 'status_starting_time'];
const RECOGNITION_MEMBERS = [
  'jurisdiction',
  'operator_name',
  'list_uri',
  'operator_keys',
  'credential_types',
  'purposes',
];
const JWK_MEMBERS = ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'];
const ISSUER_KEY_MEMBERS = [...JWK_MEMBERS, 'x5c'];

const JURISDICTION = /^[A-Z]{2}$/;
/** C0 controls and DEL: no field of a trust list needs them, and they hide text in logs and UIs. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Reads a trust list payload (the JWS payload, already JSON-parsed). */
export function parseTrustList(payload: unknown): TrustList {
  const value = object(payload, 'trust list', LIST_MEMBERS);
  if (value['version'] !== TRUST_LIST_VERSION) throw fail('MALFORMED', 'trust list version is not 1');
  const sequenceNumber = value['sequence_number'];
  if (typeof sequenceNumber !== 'number' || !Number.isSafeInteger(sequenceNumber) || sequenceNumber < 1) {
    throw fail('MALFORMED', 'trust list sequence_number is not a positive integer');
  }
  const operator = parseOperator(value['operator']);
  const listUri = httpUri(value['list_uri'], 'trust list list_uri');
  const issuedAt = parseIsoTime(value['issued_at'], 'trust list issued_at');
  const nextUpdate = parseIsoTime(value['next_update'], 'trust list next_update');
  if (nextUpdate <= issuedAt) throw fail('MALFORMED', 'trust list next_update is not after issued_at');

  const issuers = array(value['issuers'], 'trust list issuers', 0, LIMITS.issuers).map((entry, i) =>
    parseTrustedIssuer(entry, `trust list issuer ${i}`),
  );
  unique(
    issuers.map((issuer) => issuer.id),
    'trust list issuers have a duplicate id',
  );
  const recognitions = array(value['recognitions'], 'trust list recognitions', 0, LIMITS.recognitions).map(
    (entry, i) => parseRecognition(entry, `trust list recognition ${i}`),
  );
  unique(
    recognitions.map((recognition) => recognition.jurisdiction),
    'trust list recognises a jurisdiction twice',
  );
  if (recognitions.some((recognition) => recognition.jurisdiction === operator.jurisdiction)) {
    throw fail('MALFORMED', 'trust list recognises its own jurisdiction');
  }
  return {
    version: TRUST_LIST_VERSION,
    sequenceNumber,
    operator,
    listUri,
    issuedAt,
    nextUpdate,
    issuers,
    recognitions,
  };
}

function parseOperator(input: unknown): TrustListOperator {
  const value = object(input, 'trust list operator', OPERATOR_MEMBERS);
  const keys = array(value['keys'], 'trust list operator keys', 1, LIMITS.keysPerEntry).map((key, i) =>
    parseKidJwk(key, `trust list operator key ${i}`),
  );
  unique(
    keys.map((key) => key.kid),
    'trust list operator keys have a duplicate kid',
  );
  return {
    name: text(value['name'], 'trust list operator name', LIMITS.nameLength),
    jurisdiction: parseJurisdiction(value['jurisdiction'], 'trust list operator jurisdiction'),
    uri: httpUri(value['uri'], 'trust list operator uri'),
    keys,
  };
}

/** Reads one issuer entry (wire form): also what the operator's tools validate their input with. */
export function parseTrustedIssuer(input: unknown, what = 'issuer'): TrustedIssuer {
  const value = object(input, what, ISSUER_MEMBERS);
  const keys = array(value['keys'], `${what} keys`, 1, LIMITS.keysPerEntry).map((key, i) =>
    parseTrustListKey(key, `${what} key ${i}`),
  );
  unique(
    keys.map((key) => key.kid),
    `${what} keys have a duplicate kid`,
  );
  const validFrom = parseIsoTime(value['valid_from'], `${what} valid_from`);
  const validUntil =
    value['valid_until'] === undefined
      ? undefined
      : parseIsoTime(value['valid_until'], `${what} valid_until`);
  if (validUntil !== undefined && validUntil <= validFrom) {
    throw fail('MALFORMED', `${what} valid_until is not after valid_from`);
  }
  const status = parseStatus(value['status'], `${what} status`);
  const statusStartingTime = parseIsoTime(value['status_starting_time'], `${what} status_starting_time`);
  const history = array(value['history'], `${what} history`, 0, LIMITS.historyEntries).map((entry, i) => {
    const change = object(entry, `${what} history ${i}`, HISTORY_MEMBERS);
    return {
      status: parseStatus(change['status'], `${what} history ${i} status`),
      statusStartingTime: parseIsoTime(
        change['status_starting_time'],
        `${what} history ${i} status_starting_time`,
      ),
    } satisfies TrustStatusChange;
  });
  // Newest first, strictly older each step: "the status at time T" then has one answer.
  let newer = statusStartingTime;
  for (const change of history) {
    if (change.statusStartingTime >= newer) {
      throw fail('MALFORMED', `${what} history is not ordered newest first`);
    }
    newer = change.statusStartingTime;
  }
  const issuer: TrustedIssuer = {
    id: text(value['id'], `${what} id`, LIMITS.identifierLength),
    name: text(value['name'], `${what} name`, LIMITS.nameLength),
    keys,
    credentialTypes: textList(value['credential_types'], `${what} credential_types`, LIMITS.credentialTypes),
    validFrom,
    status,
    statusStartingTime,
    history,
  };
  if (validUntil !== undefined) issuer.validUntil = validUntil;
  return issuer;
}

/** Reads one recognition of another jurisdiction's list (wire form). */
export function parseRecognition(input: unknown, what = 'recognition'): Recognition {
  const value = object(input, what, RECOGNITION_MEMBERS);
  const operatorKeys = array(value['operator_keys'], `${what} operator_keys`, 1, LIMITS.keysPerEntry).map(
    (key, i) => parseKidJwk(key, `${what} operator key ${i}`),
  );
  unique(
    operatorKeys.map((key) => key.kid),
    `${what} operator_keys have a duplicate kid`,
  );
  return {
    jurisdiction: parseJurisdiction(value['jurisdiction'], `${what} jurisdiction`),
    operatorName: text(value['operator_name'], `${what} operator_name`, LIMITS.nameLength),
    listUri: httpUri(value['list_uri'], `${what} list_uri`),
    operatorKeys,
    credentialTypes: textList(value['credential_types'], `${what} credential_types`, LIMITS.credentialTypes),
    purposes: textList(value['purposes'], `${what} purposes`, LIMITS.purposes, LIMITS.purposeLength),
  };
}

/**
 * Reads an issuer key: a public JWK with `kid`, an `x5c` certificate chain, or both (then the JWK
 * must be the first certificate's key). A private key is KEY_INVALID before anything else.
 */
export function parseTrustListKey(input: unknown, what = 'key'): TrustListKey {
  if (isJsonObject(input) && 'd' in input) throw fail('KEY_INVALID', `${what} contains private key material`);
  const value = object(input, what, ISSUER_KEY_MEMBERS);
  const kid = text(value['kid'], `${what} kid`, LIMITS.kidLength);
  let fromCertificate: { jwk: PublicJwk; notBefore: number; notAfter: number } | undefined;
  let x5c: string[] | undefined;
  if (value['x5c'] !== undefined) {
    x5c = array(value['x5c'], `${what} x5c`, 1, LIMITS.certificatesPerKey).map((certificate, i) => {
      if (typeof certificate !== 'string' || certificate.length > LIMITS.certificateLength) {
        throw fail('KEY_INVALID', `${what} x5c ${i} is not a certificate of a sensible size`);
      }
      return certificate;
    });
    let der: Uint8Array;
    try {
      der = base64Decode(x5c[0]!, `${what} x5c 0`);
    } catch (cause) {
      throw fail('KEY_INVALID', `${what} x5c 0 is not base64`, cause);
    }
    fromCertificate = readCertificateKey(der, `${what} certificate`);
  }
  let jwk: PublicJwk;
  if (value['kty'] !== undefined) {
    jwk = jwkMembers(value, what);
    if (fromCertificate && !sameKey(jwk, fromCertificate.jwk)) {
      throw fail('KEY_INVALID', `${what} is not the key of its certificate`);
    }
  } else if (fromCertificate) {
    if (['crv', 'x', 'y'].some((member) => value[member] !== undefined)) {
      throw fail('KEY_INVALID', `${what} has key members without kty`);
    }
    jwk = fromCertificate.jwk;
  } else {
    throw fail('KEY_INVALID', `${what} has neither a JWK nor a certificate`);
  }
  const key: TrustListKey = { kid, jwk };
  if (x5c && fromCertificate) {
    key.x5c = x5c;
    key.notBefore = fromCertificate.notBefore;
    key.notAfter = fromCertificate.notAfter;
  }
  return key;
}

/** An operator key: a public JWK with its `kid`, no certificate. */
export function parseKidJwk(input: unknown, what: string): PublicJwk & { kid: string } {
  if (isJsonObject(input) && 'd' in input) throw fail('KEY_INVALID', `${what} contains private key material`);
  const value = object(input, what, JWK_MEMBERS);
  return { ...jwkMembers(value, what), kid: text(value['kid'], `${what} kid`, LIMITS.kidLength) };
}

export function parseJurisdiction(value: unknown, what: string): string {
  if (typeof value !== 'string' || !JURISDICTION.test(value)) {
    throw fail('MALFORMED', `${what} is not an ISO 3166-1 alpha-2 code in upper case`);
  }
  return value;
}

function jwkMembers(value: JsonObject, what: string): PublicJwk {
  const jwk = parsePublicJwk({ kty: value['kty'], crv: value['crv'], x: value['x'], y: value['y'] }, what);
  // Optional JWK members must agree with the key: `alg` its one algorithm, `use` signatures.
  if (value['alg'] !== undefined && value['alg'] !== algForJwk(jwk)) {
    throw fail('KEY_INVALID', `${what} alg does not match its key type`);
  }
  if (value['use'] !== undefined && value['use'] !== 'sig')
    throw fail('KEY_INVALID', `${what} use is not sig`);
  if (jwk.kty === 'OKP' && value['y'] !== undefined) throw fail('KEY_INVALID', `${what} has a y member`);
  return jwk;
}

function sameKey(a: PublicJwk, b: PublicJwk): boolean {
  return (
    a.kty === b.kty &&
    a.crv === b.crv &&
    a.x === b.x &&
    (a.kty === 'EC' && b.kty === 'EC' ? a.y === b.y : true)
  );
}

function parseStatus(value: unknown, what: string): TrustedIssuerStatus {
  if (value !== 'granted' && value !== 'withdrawn')
    throw fail('MALFORMED', `${what} is not granted or withdrawn`);
  return value;
}

function object(value: unknown, what: string, members: readonly string[]): JsonObject {
  if (!isJsonObject(value)) throw fail('MALFORMED', `${what} is not a JSON object`);
  for (const name of Object.keys(value)) {
    if (!members.includes(name)) throw fail('MALFORMED', `${what} has a member this profile does not define`);
  }
  return value;
}

function array(value: unknown, what: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) throw fail('MALFORMED', `${what} is not an array`);
  if (value.length < min || value.length > max) {
    throw fail('MALFORMED', `${what} must have ${min} to ${max} entries`);
  }
  return value;
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || hasControlCharacter(value)) {
    throw fail('MALFORMED', `${what} is not a string of 1 to ${max} printable characters`);
  }
  return value;
}

function textList(
  value: unknown,
  what: string,
  maxItems: number,
  maxLength: number = LIMITS.identifierLength,
): string[] {
  const list = array(value, what, 1, maxItems).map((item, i) => text(item, `${what} ${i}`, maxLength));
  unique(list, `${what} has a duplicate`);
  return list;
}

function httpUri(value: unknown, what: string): string {
  const uri = text(value, what, LIMITS.identifierLength);
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw fail('MALFORMED', `${what} is not a URL`);
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) {
    throw fail('MALFORMED', `${what} is not an http(s) URL without credentials`);
  }
  return uri;
}

function unique(values: readonly string[], message: string): void {
  if (new Set(values).size !== values.length) throw fail('MALFORMED', message);
}
