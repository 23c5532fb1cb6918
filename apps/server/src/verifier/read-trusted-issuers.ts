import { readFileSync } from 'node:fs';
import { type PublicJwk, parsePublicJwk } from '@trieste/core';
import { z } from 'zod';
import { ServerError } from '../http/errors.js';
import type { ConfiguredIssuer } from './issuer-trust.js';

const issuerUrl = z.string().min(1).max(500);
const fileSchema = z.strictObject({
  issuers: z
    .array(
      z.strictObject({
        issuer: issuerUrl,
        keys: z.array(z.record(z.string(), z.unknown())).min(1).max(20),
      }),
    )
    .max(1000),
});

/**
 * Reads the verifier's trusted issuer keys file (TRIESTE_VERIFIER_TRUSTED_ISSUERS):
 * `{ "issuers": [{ "issuer": "https://…", "keys": [<public JWK>, …] }] }`. Composition root only.
 * A malformed file stops the server (CONFIG_INVALID); a private key in it is refused, so an
 * operator who pasted the wrong JWK learns it at start.
 */
export function readTrustedIssuersFile(path: string): ConfiguredIssuer[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ServerError('CONFIG_INVALID', 'TRIESTE_VERIFIER_TRUSTED_ISSUERS is not a readable JSON file');
  }
  return parseTrustedIssuers(json);
}

export function parseTrustedIssuers(json: unknown): ConfiguredIssuer[] {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ServerError(
      'CONFIG_INVALID',
      'TRIESTE_VERIFIER_TRUSTED_ISSUERS does not match { issuers: [{ issuer, keys }] }',
    );
  }
  return parsed.data.issuers.map((entry) => ({
    issuer: entry.issuer,
    keys: entry.keys.map((jwk) => {
      if ('d' in jwk)
        throw new ServerError('CONFIG_INVALID', 'TRIESTE_VERIFIER_TRUSTED_ISSUERS holds a private key');
      let key: PublicJwk;
      try {
        key = parsePublicJwk(jwk, 'trusted issuer key');
      } catch {
        throw new ServerError(
          'CONFIG_INVALID',
          'TRIESTE_VERIFIER_TRUSTED_ISSUERS holds a key that is not P-256 or Ed25519',
        );
      }
      return typeof jwk['kid'] === 'string' ? { ...key, kid: jwk['kid'] } : key;
    }),
  }));
}
