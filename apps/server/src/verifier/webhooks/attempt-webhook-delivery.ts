import { type PresentationRequestRecord, signCompactJws, type WebhookDeliveryRecord } from '@trieste/core';
import { isServerError } from '../../http/errors.js';
import { didSigner } from '../client-identifier.js';
import { postWebhook } from './post-webhook.js';
import { screenWebhookUrl } from './screen-webhook-address.js';
import type { WebhookContext } from './webhook-context.js';

export const WEBHOOK_TYP = 'trieste-presentation-result+jwt';

/** What the signed webhook says: the result of `request_id` is ready; the relying party polls it. */
export const WEBHOOK_EVENT = 'presentation_result_ready';

/**
 * Why an attempt failed, as recorded on the delivery (codes, never the receiver's text):
 * - WEBHOOK_ADDRESS_FORBIDDEN: the host now resolves to an internal address (not retried);
 * - WEBHOOK_UNREACHABLE: no answer (DNS, connection, TLS, timeout);
 * - WEBHOOK_REJECTED: an answer other than 2xx (a redirect too: redirects are not followed);
 * - WEBHOOK_EXPIRED: the result is deleted (retention passed, or the relying party deleted it).
 */
export type WebhookFailure =
  | 'WEBHOOK_ADDRESS_FORBIDDEN'
  | 'WEBHOOK_UNREACHABLE'
  | 'WEBHOOK_REJECTED'
  | 'WEBHOOK_EXPIRED';

export type WebhookAttempt = { delivered: true } | { delivered: false; failure: WebhookFailure };

/**
 * One attempt of one delivery. The body is a JWS (`application/jwt`, typ
 * trieste-presentation-result+jwt) signed by the verifier key, so the relying party can check it
 * came from its verifier (the key is the did:jwk of the client_id) and about which request. It
 * carries no claim value: `request_id`, the outcome (`verified`/`failed`) and `jti` = the delivery
 * id, also sent as the `webhook-id` header (as Standard Webhooks name it): an attempt may arrive
 * twice (at-least-once), the receiver deduplicates on it. `aud` is the webhook URL, `exp` five
 * minutes after signing (each attempt is signed afresh). The URL is screened again here, after
 * resolution, and the connection goes to the address screened. Never throws for the receiver's
 * behaviour.
 */
export async function attemptWebhookDelivery(
  delivery: Pick<WebhookDeliveryRecord, 'url' | 'deliveryId' | 'requestId'>,
  request: Pick<PresentationRequestRecord, 'id' | 'status'>,
  ctx: WebhookContext,
): Promise<WebhookAttempt> {
  let target: Awaited<ReturnType<typeof screenWebhookUrl>>;
  try {
    target = await screenWebhookUrl(delivery.url, ctx.webhooks);
  } catch (error) {
    if (isServerError(error) && error.code === 'WEBHOOK_ADDRESS_FORBIDDEN')
      return { delivered: false, failure: 'WEBHOOK_ADDRESS_FORBIDDEN' };
    return { delivered: false, failure: 'WEBHOOK_UNREACHABLE' };
  }
  const { signer, identifier } = didSigner(await ctx.stores.presentationRequests.signer());
  const now = Math.floor(ctx.clock.now());
  const jws = await signCompactJws(
    { typ: WEBHOOK_TYP },
    {
      iss: identifier.clientId,
      aud: delivery.url,
      iat: now,
      exp: now + 300,
      jti: delivery.deliveryId,
      event: WEBHOOK_EVENT,
      request_id: request.id,
      status: request.status,
    },
    signer,
  );
  try {
    const status = await postWebhook(
      target,
      jws,
      { 'content-type': 'application/jwt', 'webhook-id': delivery.deliveryId },
      ctx.webhooks.timeoutMs,
    );
    return status >= 200 && status < 300
      ? { delivered: true }
      : { delivered: false, failure: 'WEBHOOK_REJECTED' };
  } catch {
    return { delivered: false, failure: 'WEBHOOK_UNREACHABLE' };
  }
}
