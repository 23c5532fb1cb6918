/** The national identity credential's type (apps/server/config/credential-configurations.json). */
export const NATIONAL_IDENTITY_VCT = 'urn:trieste:xa:national-identity:1';

/**
 * "Over N only" for each age the jurisdiction's credentials attest (XA: 13, 16, 18, 21), then
 * a guardian's consent, then queries written here. The server builds the age and consent queries
 * itself (API `template`), so the console asks exactly what the server's template asks.
 */
export const AGE_THRESHOLDS = [13, 16, 18, 21] as const;
export type AgeTemplate = `over${(typeof AGE_THRESHOLDS)[number]}`;
export type TemplateName = AgeTemplate | 'parentalConsent' | 'fullIdentity' | 'nationality' | 'custom';
export const TEMPLATE_NAMES: readonly TemplateName[] = [
  ...AGE_THRESHOLDS.map((age): AgeTemplate => `over${age}`),
  'parentalConsent',
  'fullIdentity',
  'nationality',
  'custom',
];

/** The age of an "Over N only" template, or undefined for the others. */
export function templateAge(name: TemplateName): number | undefined {
  const match = /^over(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Templates the server builds (POST /verifier/requests `template`); the others send a DCQL query. */
export type ServerTemplate = AgeTemplate | 'parentalConsent';
export const isServerTemplate = (name: TemplateName): name is ServerTemplate =>
  name === 'parentalConsent' || templateAge(name) !== undefined;

export type QueryTemplate = Exclude<TemplateName, ServerTemplate | 'custom'>;

/** Claim paths each template asks for, and no other (data minimisation: ask for what you need). */
const TEMPLATE_CLAIMS: Record<QueryTemplate, ReadonlyArray<readonly string[]>> = {
  fullIdentity: [['given_name'], ['family_name'], ['birthdate'], ['personal_identifier']],
  nationality: [['nationality']],
};

/** The purpose code trust lists scope recognitions by (another jurisdiction's issuers). */
export const TEMPLATE_PURPOSE_CODES: Record<QueryTemplate, string> = {
  fullIdentity: 'identity_verification',
  nationality: 'nationality_verification',
};

/** A DCQL query (OpenID4VP 1.0 §6) for one national identity credential with the template's claims. */
export function templateQuery(name: QueryTemplate, vct = NATIONAL_IDENTITY_VCT): Record<string, unknown> {
  return {
    credentials: [
      {
        id: 'national_identity',
        format: 'dc+sd-jwt',
        meta: { vct_values: [vct] },
        claims: TEMPLATE_CLAIMS[name].map((path) => ({ path: [...path] })),
      },
    ],
  };
}

/** A custom query typed by the relying party: JSON with a `credentials` array, or a reason why not. */
export function parseCustomQuery(
  text: string,
): { query: Record<string, unknown> } | { problem: 'json' | 'shape' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'shape' };
  const credentials = (value as { credentials?: unknown }).credentials;
  if (!Array.isArray(credentials) || credentials.length === 0) return { problem: 'shape' };
  return { query: value as Record<string, unknown> };
}

/** The custom query's starting text: "over 18" from the national identity credential. */
export function exampleCustomQuery(vct = NATIONAL_IDENTITY_VCT): Record<string, unknown> {
  return {
    credentials: [
      {
        id: 'national_identity',
        format: 'dc+sd-jwt',
        meta: { vct_values: [vct] },
        claims: [{ path: ['age_equal_or_over', '18'] }],
      },
    ],
  };
}
