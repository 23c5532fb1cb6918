import { randomBytes } from 'node:crypto';
import { generatePrivateJwk } from '@trieste/adapters';
import type { JsonObject, PresentationRequestRecord, PresentationResponseMode } from '@trieste/core';
import QRCode from 'qrcode';
import { ServerError } from '../http/errors.js';
import { clientIdentifier } from './client-identifier.js';
import { parseDcqlQuery } from './parse-dcql-query.js';
import {
  buildTemplateRequest,
  encodeTransactionData,
  PARENTAL_CONSENT_TYPE,
  type RequestTemplate,
  type TransactionDataInput,
} from './request-templates.js';
import { absoluteUrl, requestObjectPath, type VerifierContext } from './verifier-context.js';
import { screenWebhookUrl } from './webhooks/screen-webhook-address.js';

export interface CreatePresentationRequestInput {
  /** Exactly one of `dcqlQuery` and `template`. */
  dcqlQuery?: unknown;
  template?: RequestTemplate;
  /** OpenID4VP 1.0 §5.1 transaction data of the relying party's own (validated shape). */
  transactionData?: TransactionDataInput;
  /** Required with `dcqlQuery`; a template writes a default. */
  purpose?: string;
  purposeCode?: string;
  trustedIssuers: string[];
  responseMode: PresentationResponseMode;
  webhookUrl?: string;
  /** The relying party's API key id: only it reads the result. */
  apiKeyId: string;
}

export interface CreatedPresentationRequest {
  record: PresentationRequestRecord;
  clientId: string;
  requestUri: string;
  /** Same-device link (OpenID4VP 1.0 §5.7, RFC 9101 §5.2: client_id and request_uri only). */
  link: string;
  qr: { png: string; svg: string };
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * A relying party's presentation request: the query checked (dcql library + policy), the
 * trusted issuers checked against what the verifier knows, fresh id, nonce and state (256-bit,
 * unique in the store), and for direct_post.jwt an ephemeral ECDH-ES key sealed at rest. Returns
 * what the relying party shows the holder: the link and its QR code.
 */
export async function createPresentationRequest(
  input: CreatePresentationRequestInput,
  ctx: VerifierContext,
): Promise<CreatedPresentationRequest> {
  const { query, purpose, purposeCode, transactionData } = requestParameters(input, ctx);
  const known = new Set(await ctx.trust.issuers());
  const unknown = input.trustedIssuers.filter((issuer) => !known.has(issuer));
  if (unknown.length > 0) {
    throw new ServerError(
      'VALIDATION_FAILED',
      'trusted_issuers names an issuer this verifier has no keys for',
    );
  }
  // SSRF: a webhook aimed at the verifier's own network is refused now, and screened again before
  // every delivery attempt (the host may resolve differently by then).
  if (input.webhookUrl !== undefined) await screenWebhookUrl(input.webhookUrl, ctx.webhooks);
  const now = Math.floor(ctx.clock.now());
  const expiresAt = now + ctx.requestTtlSeconds;
  const record: PresentationRequestRecord = {
    id: random(16),
    nonce: random(32),
    state: random(32),
    apiKeyId: input.apiKeyId,
    query,
    purpose,
    ...(purposeCode === undefined ? {} : { purposeCode }),
    ...(transactionData.length === 0 ? {} : { transactionData }),
    ...(input.template === undefined ? {} : { template: input.template as JsonObject }),
    responseMode: input.responseMode,
    trustedIssuers: [...new Set(input.trustedIssuers)],
    ...(input.webhookUrl === undefined ? {} : { webhookUrl: input.webhookUrl }),
    status: 'pending',
    createdAt: now,
    expiresAt,
    deleteAt: expiresAt + ctx.retentionSeconds,
  };
  const encryptionKey = input.responseMode === 'direct_post.jwt' ? generatePrivateJwk('ES256') : undefined;
  await ctx.stores.presentationRequests.create(record, encryptionKey ? { encryptionKey } : undefined);
  ctx.requests?.remember(record);

  const { clientId } = clientIdentifier((await ctx.stores.presentationRequests.signer()).publicJwk);
  const requestUri = absoluteUrl(ctx, requestObjectPath(record.id));
  const link = `openid4vp://?${new URLSearchParams({ client_id: clientId, request_uri: requestUri })}`;
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 320 }),
    QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
  ]);
  return { record, clientId, requestUri, link, qr: { png, svg } };
}

/**
 * The query, purpose and transaction data of a new request, from the relying party's own DCQL
 * query or from a template (exactly one). Transaction data of the relying party's own comes after
 * the template's; our consent type is written by the template only, so a `consent` result always
 * means the verifier built and checked it.
 */
function requestParameters(
  input: CreatePresentationRequestInput,
  ctx: VerifierContext,
): { query: JsonObject; purpose: string; purposeCode?: string; transactionData: string[] } {
  if ((input.dcqlQuery === undefined) === (input.template === undefined)) {
    throw new ServerError('VALIDATION_FAILED', 'give exactly one of dcql_query and template');
  }
  const own = (input.transactionData ?? []) as JsonObject[];
  if (own.some((entry) => entry['type'] === PARENTAL_CONSENT_TYPE)) {
    throw new ServerError(
      'VALIDATION_FAILED',
      `transaction_data of type ${PARENTAL_CONSENT_TYPE} is written by the parental_consent template`,
    );
  }
  if (input.template === undefined) {
    if (input.purpose === undefined) {
      throw new ServerError('VALIDATION_FAILED', 'purpose is required with dcql_query');
    }
    const query = parseDcqlQuery(input.dcqlQuery, input.purpose);
    return {
      query,
      purpose: input.purpose,
      ...(input.purposeCode === undefined ? {} : { purposeCode: input.purposeCode }),
      transactionData: encodeTransactionData(own, query),
    };
  }
  const built = buildTemplateRequest(input.template, input.purpose, ctx.templates);
  // The template names what is asked; a different declared purpose would let a trust list's
  // purpose scoping be claimed for another use.
  if (input.purposeCode !== undefined && input.purposeCode !== built.purposeCode) {
    throw new ServerError('VALIDATION_FAILED', `this template's purpose_code is ${built.purposeCode}`);
  }
  const query = parseDcqlQuery(built.dcqlQuery, built.purpose);
  return {
    query,
    purpose: built.purpose,
    purposeCode: built.purposeCode,
    transactionData: encodeTransactionData([...built.transactionData, ...own], query),
  };
}
