import { timingSafeEqual } from 'node:crypto';
import {
  isTriesteError,
  type JsonObject,
  type PresentationRequestRecord,
  TriesteError,
  type TrustListProvenance,
  type VerifiedSdJwtVc,
  verifySdJwtVc,
} from '@trieste/core';
import { compactDecrypt, importJWK } from 'jose';
import type { ErrorCode } from '../http/error-statuses.js';
import { isServerError, ServerError } from '../http/errors.js';
import { clientIdentifier } from './client-identifier.js';
import { restrictIssuerTrust, type TrustSource } from './issuer-trust.js';
import { type DcqlMatch, matchDcqlQuery } from './match-dcql-query.js';
import { deferOwnStatus, type OwnStatusLists } from './own-status-entries.js';
import { decodeTransactionData, PARENTAL_CONSENT_TYPE, type RequestTemplate } from './request-templates.js';
import { RESPONSE_ENC_VALUES } from './sign-request-object.js';
import type { VerifierContext } from './verifier-context.js';
import { completePresentationRequest } from './webhooks/complete-presentation-request.js';

/** Why a request failed, as the relying party reads it: an error code, or the wallet's refusal. */
export type FailureReason = ErrorCode | 'WALLET_ERROR';

export interface VerifiedResponse {
  record: PresentationRequestRecord;
  result: JsonObject;
}

/** Bounds on what a wallet may send: hostile input is refused before it costs a verification. */
const MAX_PRESENTATIONS = 10;
const MAX_PRESENTATION_LENGTH = 32 * 1024;

/**
 * The response endpoint's use case (OpenID4VP 1.0 §8.2, §8.3). `body` is the parsed form, all of
 * it attacker-controlled. In order:
 * 1. the request exists, is pending (else a replay: REQUEST_ANSWERED) and not expired;
 * 2. the response is in the request's mode: direct_post.jwt must be a JWE (ECDH-ES to the request's
 *    ephemeral key, enc A128GCM/A256GCM) and is decrypted with jose; a plain form is refused then;
 * 3. `state` equals the request's. Up to here nothing is recorded (RESPONSE_INVALID): a stranger
 *    who knows the URL cannot end someone else's request with junk;
 * 4. from here the answer is the one answer: a wallet `error`, or each presentation verified by
 *    core's verifySdJwtVc against the request's trusted issuers, with KB-JWT nonce = the request's
 *    nonce and aud = the client_id with its prefix (§B.3.6), freshness, expiry and status, and
 *    the hashes of the transaction data naming its query (§8.4; every entry must be answered);
 *    then, for a parental consent, the child; the DCQL match, dropping undisclosed extras; and the
 *    template's answer (age_check, consent). The outcome is written once (`complete`).
 */
export async function verifyPresentationResponse(
  id: string,
  body: Record<string, string>,
  ctx: VerifierContext,
): Promise<VerifiedResponse | { record: PresentationRequestRecord; walletError: true }> {
  const store = ctx.stores.presentationRequests;
  const record = ctx.requests?.get(id) ?? (await store.get(id));
  if (!record) throw new ServerError('NOT_FOUND', 'no such presentation request');
  if (record.status !== 'pending')
    throw new ServerError('REQUEST_ANSWERED', 'this request was answered already');
  const now = ctx.clock.now();
  if (now >= record.expiresAt) {
    await finish(record, ctx, { reason: 'REQUEST_EXPIRED' }, []);
    throw new ServerError('REQUEST_EXPIRED', 'this request has expired');
  }
  if (ctx.ownStatus === undefined) return answer(record, body, ctx, undefined);
  try {
    return await answer(record, body, ctx, ctx.ownStatus);
  } catch (error) {
    if (!(error instanceof VerifyLive)) throw error;
    // The deferred answer was not written: read the request as it is now, and answer it with every
    // status read live (what was refused, revoked or suspended is then named exactly).
    return answer(error.record, body, ctx, undefined);
  }
}

/**
 * Thrown when an answer that relied on deferred status checks cannot stand as it is: an entry was
 * not VALID when the answer was to be written, or the answer is a refusal (whose reason a live
 * read of an earlier credential's status could change). Carries the request as read again.
 */
class VerifyLive extends Error {
  constructor(readonly record: PresentationRequestRecord) {
    super('verify again with live status reads');
  }
}

/** Steps 2-4 for a pending, unexpired request; `own` defers our own status entries to the write. */
async function answer(
  record: PresentationRequestRecord,
  body: Record<string, string>,
  ctx: VerifierContext,
  own: OwnStatusLists | undefined,
): Promise<VerifiedResponse | { record: PresentationRequestRecord; walletError: true }> {
  const deferred = own ? deferOwnStatus(own, ctx.status) : undefined;
  const status = deferred?.resolver ?? ctx.status;
  const entries = deferred?.entries ?? [];
  const params = await responseParameters(record, body, ctx);
  const state = params['state'];
  if (typeof state !== 'string' || !sameText(state, record.state)) {
    throw new ServerError('RESPONSE_INVALID', 'state is not the one of this request');
  }

  if (typeof params['error'] === 'string') {
    // §8.5: the wallet declined or could not answer. Its description is not kept: free text.
    const done = await finish(record, ctx, { reason: 'WALLET_ERROR' }, entries);
    return { record: done, walletError: true };
  }

  let verified: Record<string, VerifiedSdJwtVc[]>;
  // What vouched for each issuer's key (and which trust list version), stated in the result.
  const vouchedBy = new Map<string, TrustSource>();
  try {
    verified = await verifyVpToken(params['vp_token'], record, { ...ctx, status }, vouchedBy);
  } catch (error) {
    const reason = reasonOf(error);
    await finish(record, ctx, { reason }, entries);
    throw new ServerError('PRESENTATION_INVALID', `the presentation was refused: ${reason}`, {
      cause: error,
    });
  }
  const template = record.template as RequestTemplate | undefined;
  let match: DcqlMatch;
  let outcome: TemplateOutcome;
  try {
    // The child is checked before the DCQL match (whose `values` would refuse another child only
    // as QUERY_UNSATISFIED): a guardian's credential for another child is a reason of its own.
    if (template?.type === 'parental_consent') checkConsentChild(template, verified);
    match = matchDcqlQuery(record.query, verified);
    if (!match.satisfied) {
      throw new ServerError('QUERY_UNSATISFIED', 'the presented credentials do not satisfy the query');
    }
    outcome = templateOutcome(template, record, match);
  } catch (error) {
    const reason = reasonOf(error);
    await finish(record, ctx, { reason }, entries);
    if (isServerError(error)) throw error;
    throw new ServerError('PRESENTATION_INVALID', `the presentation was refused: ${reason}`, {
      cause: error,
    });
  }
  const answeredNow = ctx.clock.now();
  const result: JsonObject = JSON.parse(
    JSON.stringify({
      credentials: Object.fromEntries(
        Object.entries(match.credentials).map(([queryId, list]) => [
          queryId,
          list.map((c) => ({
            issuer: c.issuer,
            vct: c.vct,
            claims: c.claims,
            key_bound: c.keyBound,
            ...(c.issuedAt === undefined ? {} : { issued_at: c.issuedAt }),
            ...(c.expiresAt === undefined ? {} : { expires_at: c.expiresAt }),
            ...(c.status === undefined ? {} : { status: c.status }),
            trust: presentTrust(vouchedBy.get(c.issuer), c.status !== undefined, ctx, answeredNow),
          })),
        ]),
      ),
      dropped_claims: match.dropped,
      ...outcome,
    }),
  );
  const done = await finish(record, ctx, { result }, entries);
  return { record: done, result };
}

/**
 * Records the one answer. `deferred` are our own status entries the verification answered VALID
 * provisionally: a result is written only if they still are, in the same statement; a refusal is
 * not written at all but verified again live (VerifyLive), since one of them may be the reason.
 */
async function finish(
  record: PresentationRequestRecord,
  ctx: VerifierContext,
  outcome: { reason: FailureReason } | { result: JsonObject },
  deferred: ReadonlyArray<{ listId: string; idx: number }>,
): Promise<PresentationRequestRecord> {
  if (deferred.length > 0 && !('result' in outcome)) throw new VerifyLive(await pendingNow(record.id, ctx));
  const answeredAt = ctx.clock.now();
  // The answer and its webhook delivery (if the relying party asked for one) in one transaction.
  const done = await completePresentationRequest(ctx.stores, record, {
    ...('result' in outcome
      ? { status: 'verified' as const, result: outcome.result }
      : { status: 'failed' as const, reason: outcome.reason }),
    answeredAt,
    deleteAt: answeredAt + ctx.retentionSeconds,
    ...(deferred.length > 0 ? { requireValidStatus: deferred } : {}),
  });
  ctx.requests?.forget(record.id);
  if (done) return done;
  // Nothing was written: answered by another process between our read and this write (this one
  // is the replay), deleted by its relying party, or (deferred) a status entry no longer VALID.
  const now = await pendingNow(record.id, ctx);
  if (deferred.length > 0) throw new VerifyLive(now);
  throw new ServerError('REQUEST_ANSWERED', 'this request was answered already');
}

/** The request as stored now, if it is still pending; the matching error if not. */
async function pendingNow(id: string, ctx: VerifierContext): Promise<PresentationRequestRecord> {
  ctx.requests?.forget(id);
  const record = await ctx.stores.presentationRequests.get(id);
  if (!record) throw new ServerError('NOT_FOUND', 'no such presentation request');
  if (record.status !== 'pending')
    throw new ServerError('REQUEST_ANSWERED', 'this request was answered already');
  return record;
}

/** The response parameters: the form itself (direct_post) or the decrypted JWE (direct_post.jwt). */
async function responseParameters(
  record: PresentationRequestRecord,
  body: Record<string, string>,
  ctx: VerifierContext,
): Promise<Record<string, unknown>> {
  if (record.responseMode === 'direct_post') {
    if ('response' in body)
      throw new ServerError('RESPONSE_INVALID', 'this request expects a plain direct_post');
    return body;
  }
  const jwe = body['response'];
  if (typeof jwe !== 'string' || Object.keys(body).length !== 1) {
    throw new ServerError('RESPONSE_INVALID', 'this request expects one encrypted response parameter');
  }
  const privateJwk = await ctx.stores.presentationRequests.encryptionKey(record.id);
  if (!privateJwk) {
    // The key goes with the answer (or the request): a request read from the cache may have been
    // answered or deleted by another process since.
    await pendingNow(record.id, ctx);
    throw new ServerError('RESPONSE_INVALID', 'this request has no decryption key');
  }
  let plaintext: Uint8Array;
  try {
    const key = await importJWK({ ...privateJwk }, 'ECDH-ES');
    ({ plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: [...RESPONSE_ENC_VALUES],
    }));
  } catch {
    throw new ServerError('RESPONSE_INVALID', 'the response does not decrypt with this request key');
  }
  let params: unknown;
  try {
    params = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw new ServerError('RESPONSE_INVALID', 'the decrypted response is not JSON');
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new ServerError('RESPONSE_INVALID', 'the decrypted response is not a JSON object');
  }
  return params as Record<string, unknown>;
}

/**
 * §8.1: vp_token is a JSON object keyed by DCQL credential query id, each value a non-empty array
 * of presentations (in a form post it arrives as a JSON string; decrypted, as an object).
 */
async function verifyVpToken(
  raw: unknown,
  record: PresentationRequestRecord,
  ctx: VerifierContext,
  vouchedBy: Map<string, TrustSource>,
): Promise<Record<string, VerifiedSdJwtVc[]>> {
  let token: unknown = raw;
  if (typeof raw === 'string') {
    try {
      token = JSON.parse(raw);
    } catch {
      throw new ServerError('RESPONSE_INVALID', 'vp_token is not JSON');
    }
  }
  if (token === null || typeof token !== 'object' || Array.isArray(token)) {
    throw new ServerError('RESPONSE_INVALID', 'vp_token is not a JSON object');
  }
  const queries = new Map(
    (
      (record.query['credentials'] ?? []) as Array<{
        id: string;
        multiple?: boolean;
        require_cryptographic_holder_binding?: boolean;
      }>
    ).map((q) => [q.id, q]),
  );
  const entries = Object.entries(token as Record<string, unknown>);
  const total = entries.reduce((n, [, list]) => n + (Array.isArray(list) ? list.length : 1), 0);
  if (entries.length === 0 || total > MAX_PRESENTATIONS) {
    throw new ServerError('RESPONSE_INVALID', 'vp_token has no or too many presentations');
  }
  const { clientId } = clientIdentifier((await ctx.stores.presentationRequests.signer()).publicJwk);
  const issuerKeys = restrictIssuerTrust(ctx.trust, record.trustedIssuers, {
    ...(record.purposeCode === undefined ? {} : { purpose: record.purposeCode }),
    onVouched: (iss, source) => vouchedBy.set(iss, source),
  });
  // §8.4: each credential's KB-JWT hashes the transaction data entries that name its query id.
  const transactionData = record.transactionData ?? [];
  const namedIds = decodeTransactionData(transactionData).map((entry) => entry['credential_ids'] as string[]);
  const dataFor = (queryId: string) => transactionData.filter((_, i) => namedIds[i]!.includes(queryId));
  const verified: Record<string, VerifiedSdJwtVc[]> = {};
  for (const [queryId, list] of entries) {
    const query = queries.get(queryId);
    if (!query)
      throw new ServerError('RESPONSE_INVALID', 'vp_token answers a credential query that was not asked');
    if (!Array.isArray(list) || list.length === 0) {
      throw new ServerError('RESPONSE_INVALID', 'vp_token values must be non-empty arrays');
    }
    if (list.length > 1 && query.multiple !== true) {
      throw new ServerError(
        'RESPONSE_INVALID',
        'vp_token has several presentations for a single credential query',
      );
    }
    verified[queryId] = [];
    for (const presentation of list) {
      if (typeof presentation !== 'string' || presentation.length > MAX_PRESENTATION_LENGTH) {
        throw new ServerError('RESPONSE_INVALID', 'a presentation is not an SD-JWT string of bounded length');
      }
      verified[queryId].push(
        await verifySdJwtVc(
          presentation,
          {
            nonce: record.nonce,
            aud: clientId,
            requireKeyBinding: query.require_cryptographic_holder_binding !== false,
            kbMaxAgeSeconds: ctx.kbMaxAgeSeconds,
            now: ctx.clock.now(),
            ...(dataFor(queryId).length === 0 ? {} : { transactionData: dataFor(queryId) }),
          },
          { crypto: ctx.crypto, issuerKeys, status: ctx.status, clock: ctx.clock },
        ),
      );
    }
  }
  // Every entry must be answered by a credential it names: otherwise a wallet could present an
  // alternative credential of a credential set and leave the transaction data unsigned.
  if (namedIds.some((ids) => !ids.some((id) => Object.hasOwn(verified, id)))) {
    throw new TriesteError(
      'TRANSACTION_DATA_MISMATCH',
      'a transaction_data entry is answered by no credential',
    );
  }
  return verified;
}

type TemplateOutcome = { age_check?: JsonObject; consent?: JsonObject };

/**
 * A parental consent is about one child: the guardian credential presented must disclose that
 * child's given name (as the template wrote it into the transaction data the guardian signed).
 */
function checkConsentChild(
  template: Extract<RequestTemplate, { type: 'parental_consent' }>,
  verified: Record<string, VerifiedSdJwtVc[]>,
): void {
  for (const credential of verified['guardian'] ?? []) {
    const child = credential.claims['child'];
    const name = isJsonObject(child) ? child['given_name'] : undefined;
    if (typeof name !== 'string' || name.normalize('NFC') !== template.child.given_name) {
      throw new ServerError('CONSENT_CHILD_MISMATCH', 'the guardian credential is for another child');
    }
  }
}

/**
 * The template's answer, from the verified, query-filtered claims only: `age_check` is the one
 * `age_equal_or_over/<N>` boolean the credential disclosed (the issuer's yes or no); `consent` is
 * given when the guardian's KB-JWT hashed this request's consent (checked above, per credential)
 * and the child is the one asked about.
 */
function templateOutcome(
  template: RequestTemplate | undefined,
  record: PresentationRequestRecord,
  match: DcqlMatch,
): TemplateOutcome {
  if (template === undefined) return {};
  if (template.type === 'age_over') {
    const credential = (match.credentials['age'] ?? match.credentials['national_identity'])?.[0];
    const ages = credential?.claims['age_equal_or_over'];
    const over = isJsonObject(ages) ? ages[String(template.age)] : undefined;
    if (typeof over !== 'boolean') {
      throw new ServerError('QUERY_UNSATISFIED', 'the credential states no yes or no for this age');
    }
    return { age_check: { age: template.age, over } };
  }
  const child = match.credentials['guardian']?.[0]?.claims['child'];
  if (!isJsonObject(child)) {
    throw new ServerError('QUERY_UNSATISFIED', 'the guardian credential disclosed no child');
  }
  return {
    consent: {
      type: PARENTAL_CONSENT_TYPE,
      given: true,
      child: {
        ...(child['given_name'] === undefined ? {} : { given_name: child['given_name'] }),
        ...(child['birthdate'] === undefined ? {} : { birthdate: child['birthdate'] }),
      },
      transaction_data: decodeTransactionData(record.transactionData ?? []),
    },
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reasonOf(error: unknown): FailureReason {
  if (isTriesteError(error) || isServerError(error)) return error.code;
  throw error;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * What vouched for the issuer, and how fresh that was: the trust list version (with its issue
 * time, next update, when this verifier fetched it, and whether it is past its next update but in
 * its grace period), and where the status came from (this installation's own entries are read
 * live from its database; other issuers' lists are cached up to their ttl).
 */
function presentTrust(
  source: TrustSource | undefined,
  statusChecked: boolean,
  ctx: VerifierContext,
  now: number,
): JsonObject {
  const status: JsonObject = !statusChecked
    ? { checked: false }
    : source?.source === 'installation'
      ? { checked: true, source: 'own-database', read_at: now }
      : { checked: true, source: 'status-list-token', max_age_seconds: ctx.statusMaxAgeSeconds };
  if (!source) return { source: 'unknown', status };
  if (source.source !== 'trust-list') return { source: source.source, status };
  const list = (p: TrustListProvenance): JsonObject => ({
    jurisdiction: p.jurisdiction,
    operator: p.operator,
    uri: p.listUri,
    sequence_number: p.sequenceNumber,
    issued_at: p.issuedAt,
    next_update: p.nextUpdate,
    fetched_at: p.fetchedAt,
    freshness: p.freshness,
  });
  return {
    source: 'trust-list',
    issuer_name: source.issuerName,
    list: list(source.list),
    ...(source.list.recognisedBy ? { recognised_by: list(source.list.recognisedBy) } : {}),
    status,
  };
}
