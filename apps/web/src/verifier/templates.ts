/** The national identity credential's type (apps/server/config/credential-configurations.json). */
export const NATIONAL_IDENTITY_VCT = 'urn:trieste:xa:national-identity:1';

export type TemplateName = 'over18' | 'fullIdentity' | 'nationality' | 'custom';
export const TEMPLATE_NAMES: readonly TemplateName[] = ['over18', 'fullIdentity', 'nationality', 'custom'];

/** Claim paths each template asks for, and no other (data minimisation: ask for what you need). */
const TEMPLATE_CLAIMS: Record<Exclude<TemplateName, 'custom'>, ReadonlyArray<readonly string[]>> = {
  over18: [['age_equal_or_over', '18']],
  fullIdentity: [['given_name'], ['family_name'], ['birthdate'], ['personal_identifier']],
  nationality: [['nationality']],
};

/** The purpose code trust lists scope recognitions by (another jurisdiction's issuers). */
export const TEMPLATE_PURPOSE_CODES: Record<Exclude<TemplateName, 'custom'>, string> = {
  over18: 'age_verification',
  fullIdentity: 'identity_verification',
  nationality: 'nationality_verification',
};

/** A DCQL query (OpenID4VP 1.0 §6) for one national identity credential with the template's claims. */
export function templateQuery(
  name: Exclude<TemplateName, 'custom'>,
  vct = NATIONAL_IDENTITY_VCT,
): Record<string, unknown> {
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
