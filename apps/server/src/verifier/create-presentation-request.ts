import { randomBytes } from 'node:crypto';
import { generatePrivateJwk } from '@trieste/adapters';
import type { PresentationRequestRecord, PresentationResponseMode } from '@trieste/core';
import QRCode from 'qrcode';
import { ServerError } from '../http/errors.js';
import { clientIdentifier } from './client-identifier.js';
import { parseDcqlQuery } from './parse-dcql-query.js';
import { absoluteUrl, requestObjectPath, type VerifierContext } from './verifier-context.js';
import { screenWebhookUrl } from './webhooks/screen-webhook-address.js';

export interface CreatePresentationRequestInput {
  dcqlQuery: unknown;
  purpose: string;
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
  const query = parseDcqlQuery(input.dcqlQuery, input.purpose);
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
    purpose: input.purpose,
    ...(input.purposeCode === undefined ? {} : { purposeCode: input.purposeCode }),
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

  const { clientId } = clientIdentifier((await ctx.stores.presentationRequests.signer()).publicJwk);
  const requestUri = absoluteUrl(ctx, requestObjectPath(record.id));
  const link = `openid4vp://?${new URLSearchParams({ client_id: clientId, request_uri: requestUri })}`;
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 320 }),
    QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
  ]);
  return { record, clientId, requestUri, link, qr: { png, svg } };
}
