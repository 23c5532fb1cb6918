import type { JsonObject, PresentationRequestRecord } from '@trieste/core';
import { z } from 'zod';

const listPresenter = z.object({
  jurisdiction: z.string(),
  operator: z.string(),
  uri: z.string(),
  sequence_number: z.number(),
  issued_at: z.number(),
  next_update: z.number(),
  fetched_at: z.number(),
  freshness: z.enum(['fresh', 'stale-in-grace']),
});

/** What vouched for the issuer and how fresh it was (see verify-presentation-response.ts). */
const trustPresenter = z.object({
  source: z.enum(['installation', 'configured', 'trust-list', 'unknown']),
  issuer_name: z.string().optional(),
  list: listPresenter.optional(),
  recognised_by: listPresenter.optional(),
  status: z.object({
    checked: z.boolean(),
    source: z.enum(['own-database', 'status-list-token']).optional(),
    read_at: z.number().optional(),
    max_age_seconds: z.number().optional(),
  }),
});

/** An age_over template's answer: the issuer's verified yes or no for that age. */
const ageCheckPresenter = z.object({ age: z.number(), over: z.boolean() });

/** A parental_consent template's answer (docs/parental-consent.md): nothing about the guardian. */
const consentPresenter = z.object({
  type: z.literal('trieste_parental_consent'),
  given: z.boolean(),
  child: z.object({ given_name: z.string().optional(), birthdate: z.string().optional() }),
  /** The transaction data the guardian's KB-JWT hashed, decoded. */
  transaction_data: z.array(z.record(z.string(), z.unknown())),
});

/** The presenter of a request's state: the only fields a relying party receives (an allowlist). */
export const resultPresenter = z.object({
  id: z.string(),
  status: z.enum(['pending', 'verified', 'failed']),
  reason: z.string().optional(),
  purpose: z.string(),
  purpose_code: z.string().optional(),
  response_mode: z.string(),
  created_at: z.number(),
  expires_at: z.number(),
  answered_at: z.number().optional(),
  delete_at: z.number(),
  /** With a template: the template as the relying party gave it. */
  template: z.record(z.string(), z.unknown()).optional(),
  /** Verified age_over requests: the answer. */
  age_check: ageCheckPresenter.optional(),
  /** Verified parental_consent requests: the consent. */
  consent: consentPresenter.optional(),
  result: z
    .object({
      credentials: z.record(
        z.string(),
        z.array(
          z.object({
            issuer: z.string(),
            vct: z.string(),
            claims: z.record(z.string(), z.unknown()),
            key_bound: z.boolean(),
            issued_at: z.number().optional(),
            expires_at: z.number().optional(),
            status: z.number().optional(),
            trust: trustPresenter.optional(),
          }),
        ),
      ),
      dropped_claims: z.array(
        z.object({ credential: z.string(), path: z.array(z.union([z.string(), z.number()])) }),
      ),
    })
    .optional(),
});

export type PresentedResult = z.infer<typeof resultPresenter>;

/**
 * A request as its relying party sees it. A pending request past its expiry reads as failed with
 * REQUEST_EXPIRED: no wallet answer will be accepted any more.
 */
export function presentResult(
  record: PresentationRequestRecord,
  result: JsonObject | undefined,
  now: number,
): PresentedResult {
  const expired = record.status === 'pending' && now >= record.expiresAt;
  return {
    id: record.id,
    status: expired ? 'failed' : record.status,
    ...(expired
      ? { reason: 'REQUEST_EXPIRED' }
      : record.reason === undefined
        ? {}
        : { reason: record.reason }),
    purpose: record.purpose,
    ...(record.purposeCode === undefined ? {} : { purpose_code: record.purposeCode }),
    response_mode: record.responseMode,
    created_at: record.createdAt,
    expires_at: record.expiresAt,
    ...(record.answeredAt === undefined ? {} : { answered_at: record.answeredAt }),
    delete_at: record.deleteAt,
    ...(record.template === undefined ? {} : { template: record.template }),
    ...(result?.['age_check'] === undefined
      ? {}
      : { age_check: result['age_check'] as PresentedResult['age_check'] }),
    ...(result?.['consent'] === undefined
      ? {}
      : { consent: result['consent'] as PresentedResult['consent'] }),
    ...(result === undefined
      ? {}
      : {
          result: {
            credentials: result['credentials'],
            dropped_claims: result['dropped_claims'],
          } as PresentedResult['result'],
        }),
  };
}
