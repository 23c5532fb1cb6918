import {
  type CachedTrustList,
  encodeRecognition,
  encodeTrustedIssuer,
  isTriesteError,
  parseJurisdiction,
  parseRecognition,
  parseTrustedIssuer,
  type Recognition,
  type SignatureAlg,
  type TrustedIssuer,
  type TrustListVersion,
} from '@trieste/core';

// What the trust list stores accept, checked the same way on every implementation. Entries go
// through the core's own list parser (encode, then parse): a store never holds an entry the list
// could not carry. A record that fails is the caller's bug (the use cases parse input first), so
// a TypeError.

export function checkTrustedIssuer(issuer: TrustedIssuer): TrustedIssuer {
  return reparse(() => parseTrustedIssuer(encodeTrustedIssuer(issuer), 'issuer'));
}

export function checkRecognition(recognition: Recognition): Recognition {
  return reparse(() => parseRecognition(encodeRecognition(recognition), 'recognition'));
}

export function checkVersion(version: TrustListVersion): void {
  if (!Number.isSafeInteger(version.sequenceNumber) || version.sequenceNumber < 1) {
    throw new TypeError('sequenceNumber must be a positive integer');
  }
  if (typeof version.jws !== 'string' || version.jws === '') throw new TypeError('jws must be a string');
  if (typeof version.signedBy !== 'string' || version.signedBy === '') {
    throw new TypeError('signedBy must be a kid');
  }
  if (!Number.isFinite(version.issuedAt) || !(version.nextUpdate > version.issuedAt)) {
    throw new TypeError('nextUpdate must be after issuedAt');
  }
}

export function checkCachedList(list: CachedTrustList): void {
  checkJurisdiction(list.jurisdiction);
  if (typeof list.jws !== 'string' || list.jws === '') throw new TypeError('jws must be a string');
  if (!Number.isSafeInteger(list.sequenceNumber) || list.sequenceNumber < 1) {
    throw new TypeError('sequenceNumber must be a positive integer');
  }
  if (!Number.isFinite(list.fetchedAt)) throw new TypeError('fetchedAt must be a NumericDate');
}

export function checkJurisdiction(jurisdiction: string): void {
  reparse(() => parseJurisdiction(jurisdiction, 'jurisdiction'));
}

export function checkKeyAlg(alg: SignatureAlg | undefined): void {
  if (alg !== undefined && alg !== 'ES256' && alg !== 'EdDSA')
    throw new TypeError('alg must be ES256 or EdDSA');
}

function reparse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isTriesteError(error)) throw new TypeError(`trust list record: ${error.message}`);
    throw error;
  }
}
