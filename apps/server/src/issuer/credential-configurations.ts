import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonObject, JsonValue } from '@trieste/core';
import { z } from 'zod';
import { ServerError } from '../http/errors.js';

/** The file shipped with the server: the built-in "national identity" SD-JWT VC of jurisdiction XA. */
export const DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH = fileURLToPath(
  new URL('../../config/credential-configurations.json', import.meta.url),
);

const ALGS = z.array(z.enum(['ES256', 'EdDSA'])).min(1);
const display = z.array(
  z.looseObject({ name: z.string().min(1).max(200), locale: z.string().max(35).optional() }),
);
const pathSegment = z.union([z.string().min(1).max(100), z.number().int().nonnegative(), z.null()]);

const configurationSchema = z.strictObject({
  format: z.literal('dc+sd-jwt'),
  vct: z.string().min(1).max(500),
  /** Ours, not published: how long an issued credential is valid. */
  validity_seconds: z
    .number()
    .int()
    .min(60)
    .max(20 * 366 * 86_400),
  /**
   * Ours, not published: whether each credential gets a status list entry (default true). False
   * for single-use credentials whose short validity is their revocation (docs/age-assurance.md).
   */
  status: z.boolean().optional(),
  /**
   * Ours, not published: `iat` rounded down to a multiple of this (86400: the UTC day), so a batch
   * and everyone issued that day share one time; `exp` counts from the rounded time.
   */
  issued_at_rounding_seconds: z.number().int().min(1).max(86_400).optional(),
  /**
   * Ours, not published: `registry` when the claims must be derived from the registry's record
   * (proofs of age, guardian credentials). Such a credential is offered only through the registry
   * routes; `POST /admin/offers`, where the caller writes the claims, refuses it.
   */
  offered_by: z.literal('registry').optional(),
  cryptographic_binding_methods_supported: z.array(z.literal('jwk')).min(1),
  credential_signing_alg_values_supported: ALGS,
  proof_types_supported: z.strictObject({
    jwt: z.strictObject({ proof_signing_alg_values_supported: ALGS }),
  }),
  credential_metadata: z.strictObject({
    display: display.optional(),
    claims: z
      .array(
        z.strictObject({
          path: z.array(pathSegment).min(1).max(10),
          mandatory: z.boolean().optional(),
          display: display.optional(),
        }),
      )
      .min(1),
  }),
});

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  display: display.optional(),
  credential_configurations: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/), configurationSchema),
});

export type CredentialConfiguration = z.infer<typeof configurationSchema>;
export type CredentialConfigurations = z.infer<typeof fileSchema>;

/** Reads and validates the configurations file at start: CONFIG_INVALID names what is wrong. */
export function loadCredentialConfigurations(path: string): CredentialConfigurations {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ServerError('CONFIG_INVALID', 'TRIESTE_CREDENTIAL_CONFIGURATIONS cannot be read', { cause });
  }
  return parseCredentialConfigurations(text);
}

export function parseCredentialConfigurations(text: string): CredentialConfigurations {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServerError('CONFIG_INVALID', 'TRIESTE_CREDENTIAL_CONFIGURATIONS is not JSON');
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServerError(
      'CONFIG_INVALID',
      `TRIESTE_CREDENTIAL_CONFIGURATIONS: ${issue.path.join('.') || 'file'} (${issue.code})`,
    );
  }
  if (Object.keys(parsed.data.credential_configurations).length === 0) {
    throw new ServerError('CONFIG_INVALID', 'TRIESTE_CREDENTIAL_CONFIGURATIONS defines no configuration');
  }
  return parsed.data;
}

// SD-JWT structure and the names the issuer sets itself (RFC 9901 §4.2.4.1, SD-JWT VC §3.2.2.2).
const RESERVED = new Set([
  'iss',
  'vct',
  'iat',
  'exp',
  'nbf',
  'cnf',
  'status',
  'sub',
  '_sd',
  '_sd_alg',
  '...',
]);

/**
 * Checks prepared claims against a configuration: only the claims it declares (top level), every
 * mandatory one present, plain JSON no deeper than 8 levels and without SD-JWT structural names.
 * Returns the problem (claim names only, never a value) or undefined.
 */
export function checkOfferClaims(
  configuration: CredentialConfiguration,
  claims: JsonObject,
): string | undefined {
  const declared = new Set<string>();
  for (const claim of configuration.credential_metadata.claims) {
    const first = claim.path[0];
    if (typeof first === 'string') declared.add(first);
  }
  for (const name of Object.keys(claims)) {
    if (RESERVED.has(name) || !declared.has(name))
      return `claims: ${name.slice(0, 50)} is not a claim of this configuration`;
  }
  for (const claim of configuration.credential_metadata.claims) {
    const first = claim.path[0];
    if (
      claim.mandatory &&
      claim.path.length === 1 &&
      typeof first === 'string' &&
      !Object.hasOwn(claims, first)
    ) {
      return `claims: ${first} is mandatory`;
    }
  }
  return plainJson(claims, 0) ? undefined : 'claims: too deep, or using _sd or ...';
}

function plainJson(value: JsonValue, depth: number): boolean {
  if (depth > 8) return false;
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every((element) => plainJson(element, depth + 1));
  return Object.entries(value).every(
    ([name, element]) => name !== '_sd' && name !== '...' && plainJson(element, depth + 1),
  );
}
