import { base64urlDecode, base64urlEncode, type JsonObject, utf8Decode, utf8Encode } from '@trieste/core';
import { z } from 'zod';
import { ServerError } from '../http/errors.js';

/** The credential types the templates ask for, and the ages an age credential attests. */
export interface TemplateSettings {
  /** The ages this jurisdiction's credentials attest as `age_equal_or_over` (13, 16, 18, 21 in XA). */
  ageThresholds: readonly number[];
  ageVct: string;
  nationalIdentityVct: string;
  guardianVct: string;
}

export const DEFAULT_TEMPLATE_SETTINGS: TemplateSettings = Object.freeze({
  ageThresholds: Object.freeze([13, 16, 18, 21]),
  ageVct: 'urn:trieste:xa:age:1',
  nationalIdentityVct: 'urn:trieste:xa:national-identity:1',
  guardianVct: 'urn:trieste:xa:guardian:1',
});

/** Our transaction data type for a guardian's consent (docs/parental-consent.md). */
export const PARENTAL_CONSENT_TYPE = 'trieste_parental_consent';

/** OpenID4VP 1.0 §5.1 transaction_data bounds: a few small objects, never a document. */
const MAX_TRANSACTION_DATA = 5;
const MAX_TRANSACTION_DATA_BYTES = 2048;
const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,64}$/;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // Shown by a wallet on its consent screen: no control characters (a line break could fake a line).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the threat is control characters.
    .regex(/^[^\u0000-\u001f\u007f]*$/)
    // Names and consent texts are compared and shown by wallets: one Unicode form for both.
    .transform((value) => value.normalize('NFC'));

export const templateSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('age_over'), age: z.number().int().min(1).max(150) }),
  z.strictObject({
    type: z.literal('parental_consent'),
    child: z.strictObject({ given_name: text(100) }),
    consent: text(300),
    service: text(100).optional(),
  }),
]);
export type RequestTemplate = z.infer<typeof templateSchema>;

/**
 * A relying party's transaction data entries (OpenID4VP 1.0 §5.1): JSON objects with a `type` and
 * the DCQL credential ids they bind to; any other member is the type's own. Checked against the
 * query once it is known (`encodeTransactionData`).
 */
export const transactionDataSchema = z
  .array(
    z.looseObject({
      type: z.string().min(1).max(100),
      credential_ids: z.array(z.string().regex(CREDENTIAL_ID)).min(1).max(10),
    }),
  )
  .min(1)
  .max(MAX_TRANSACTION_DATA);
export type TransactionDataInput = z.infer<typeof transactionDataSchema>;

export interface TemplateRequest {
  dcqlQuery: JsonObject;
  purpose: string;
  purposeCode: string;
  transactionData: JsonObject[];
}

/**
 * The DCQL query, default purpose and transaction data of a template, built here so a relying
 * party asks for exactly the claim a yes/no or a consent needs and nothing else:
 * - `age_over`: one `age_equal_or_over/<N>` claim, from the age credential OR the national identity
 *   credential (`credential_sets`, §6.2), so a holder with a proof of age reveals nothing more;
 * - `parental_consent`: the guardian credential's child given name (constrained to the one the
 *   consent is about, so a wallet picks the right credential) and birth date, plus one
 *   `trieste_parental_consent` transaction data entry the guardian's KB-JWT must hash.
 */
export function buildTemplateRequest(
  template: RequestTemplate,
  purpose: string | undefined,
  settings: TemplateSettings,
): TemplateRequest {
  if (template.type === 'age_over') {
    if (!settings.ageThresholds.includes(template.age)) {
      throw new ServerError(
        'VALIDATION_FAILED',
        `template.age must be one of ${settings.ageThresholds.join(', ')}: the ages credentials attest`,
      );
    }
    const claims = [{ path: ['age_equal_or_over', String(template.age)] }];
    const text = purpose ?? `Check that you are over ${template.age}`;
    return {
      dcqlQuery: {
        credentials: [
          { id: 'age', format: 'dc+sd-jwt', meta: { vct_values: [settings.ageVct] }, claims },
          {
            id: 'national_identity',
            format: 'dc+sd-jwt',
            meta: { vct_values: [settings.nationalIdentityVct] },
            claims,
          },
        ],
        credential_sets: [{ options: [['age'], ['national_identity']], required: true, purpose: text }],
      },
      purpose: text,
      purposeCode: 'age_verification',
      transactionData: [],
    };
  }
  const child = template.child.given_name;
  const text = purpose ?? `A guardian's consent for ${child}: ${template.consent}`;
  return {
    dcqlQuery: {
      credentials: [
        {
          id: 'guardian',
          format: 'dc+sd-jwt',
          meta: { vct_values: [settings.guardianVct] },
          claims: [{ path: ['child', 'given_name'], values: [child] }, { path: ['child', 'birthdate'] }],
        },
      ],
    },
    purpose: text,
    purposeCode: 'parental_consent',
    transactionData: [
      {
        type: PARENTAL_CONSENT_TYPE,
        credential_ids: ['guardian'],
        child: { given_name: child },
        consent: template.consent,
        ...(template.service === undefined ? {} : { service: template.service }),
      },
    ],
  };
}

/**
 * Checks transaction data against the validated query and encodes each entry as the request
 * object carries it: base64url(UTF-8(JSON)) (§5.1). Every `credential_ids` entry must name a
 * credential query that requires holder binding: only a KB-JWT can carry the hashes (§8.4).
 */
export function encodeTransactionData(entries: readonly JsonObject[], query: JsonObject): string[] {
  if (entries.length > MAX_TRANSACTION_DATA) {
    throw new ServerError('VALIDATION_FAILED', `at most ${MAX_TRANSACTION_DATA} transaction_data entries`);
  }
  const bound = new Set(
    ((query['credentials'] ?? []) as Array<{ id: string; require_cryptographic_holder_binding?: boolean }>)
      .filter((c) => c.require_cryptographic_holder_binding !== false)
      .map((c) => c.id),
  );
  return entries.map((entry) => {
    const ids = entry['credential_ids'];
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && bound.has(id))) {
      throw new ServerError(
        'VALIDATION_FAILED',
        'transaction_data credential_ids must name credential queries of dcql_query that require holder binding',
      );
    }
    const encoded = base64urlEncode(utf8Encode(JSON.stringify(entry)));
    if (encoded.length > Math.ceil((MAX_TRANSACTION_DATA_BYTES * 4) / 3)) {
      throw new ServerError(
        'VALIDATION_FAILED',
        `a transaction_data entry is over ${MAX_TRANSACTION_DATA_BYTES} bytes`,
      );
    }
    return encoded;
  });
}

/** The stored entries back as objects (written by `encodeTransactionData`, so trusted JSON). */
export function decodeTransactionData(encoded: readonly string[]): JsonObject[] {
  return encoded.map((entry) => JSON.parse(utf8Decode(base64urlDecode(entry))) as JsonObject);
}
