import { encodeLogEntry, type IssuerKeyRecord } from '@trieste/core';

// What the transparency log records of issuer keys: public data only (kid, alg, public JWK) and
// the time of the change in whole seconds, as UTF-8 JSON with sorted keys (core's encodeLogEntry),
// so anyone can re-derive an entry's bytes and leaf hash. Never a private member, never a claim.

/** {"alg","jwk","kid","time","type":"issuer-key/created"}: the key exists (pending or active). */
export function issuerKeyCreatedEntry(record: IssuerKeyRecord): Uint8Array {
  const jwk: Record<string, string> = { ...record.publicJwk };
  return encodeLogEntry('issuer-key/created', {
    kid: record.kid,
    alg: record.alg,
    jwk,
    time: Math.floor(record.createdAt),
  });
}

/** {"kid","time","type":"issuer-key/activated"}: from `time` on, this key signs. */
export function issuerKeyActivatedEntry(kid: string, at: number): Uint8Array {
  return encodeLogEntry('issuer-key/activated', { kid, time: Math.floor(at) });
}

/** {"kid","time","type":"issuer-key/retired"}: from `time` on, this key signs no more. */
export function issuerKeyRetiredEntry(kid: string, at: number): Uint8Array {
  return encodeLogEntry('issuer-key/retired', { kid, time: Math.floor(at) });
}
