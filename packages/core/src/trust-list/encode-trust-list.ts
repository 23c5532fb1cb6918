import type { JsonObject, JsonValue } from '../encoding/json.js';
import type { PublicJwk } from '../jwk/types.js';
import { formatIsoTime } from './iso-time.js';
import type { Recognition, TrustedIssuer, TrustList, TrustListKey } from './trust-list.js';

/**
 * The wire form of a trust list (docs/trust-list-profile.md), members in a fixed order so the same
 * list always serialises to the same bytes. The inverse of `parseTrustList`.
 */
export function encodeTrustList(list: TrustList): JsonObject {
  return {
    version: list.version,
    sequence_number: list.sequenceNumber,
    operator: {
      name: list.operator.name,
      jurisdiction: list.operator.jurisdiction,
      uri: list.operator.uri,
      keys: list.operator.keys.map((key) => encodeJwk(key, key.kid)),
    },
    list_uri: list.listUri,
    issued_at: formatIsoTime(list.issuedAt),
    next_update: formatIsoTime(list.nextUpdate),
    issuers: list.issuers.map(encodeTrustedIssuer),
    recognitions: list.recognitions.map(encodeRecognition),
  };
}

export function encodeTrustedIssuer(issuer: TrustedIssuer): JsonObject {
  const out: JsonObject = {
    id: issuer.id,
    name: issuer.name,
    keys: issuer.keys.map(encodeTrustListKey),
    credential_types: [...issuer.credentialTypes],
    valid_from: formatIsoTime(issuer.validFrom),
  };
  if (issuer.validUntil !== undefined) out['valid_until'] = formatIsoTime(issuer.validUntil);
  out['status'] = issuer.status;
  out['status_starting_time'] = formatIsoTime(issuer.statusStartingTime);
  out['history'] = issuer.history.map((change) => ({
    status: change.status,
    status_starting_time: formatIsoTime(change.statusStartingTime),
  }));
  return out;
}

export function encodeRecognition(recognition: Recognition): JsonObject {
  return {
    jurisdiction: recognition.jurisdiction,
    operator_name: recognition.operatorName,
    list_uri: recognition.listUri,
    operator_keys: recognition.operatorKeys.map((key) => encodeJwk(key, key.kid)),
    credential_types: [...recognition.credentialTypes],
    purposes: [...recognition.purposes],
  };
}

export function encodeTrustListKey(key: TrustListKey): JsonObject {
  const out = encodeJwk(key.jwk, key.kid);
  if (key.x5c) out['x5c'] = [...key.x5c];
  return out;
}

/** The public members only (never a library's extras), then `kid`. */
function encodeJwk(jwk: PublicJwk, kid: string): { [key: string]: JsonValue } {
  return jwk.kty === 'EC'
    ? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y, kid }
    : { kty: 'OKP', crv: jwk.crv, x: jwk.x, kid };
}
