import { signCompactJws } from '@trieste/core';
import { didSigner } from './client-identifier.js';
import type { PresentedResult } from './present-result.js';
import type { VerifierContext } from './verifier-context.js';

export const WEBHOOK_TYP = 'trieste-presentation-result+jwt';

/**
 * POSTs the result to the relying party's webhook as a JWS (`application/jwt`) signed by the
 * verifier key, so the relying party can check it came from its verifier (the key is the did:jwk
 * in the client_id) and for which request (`request_id`, `aud` = the webhook URL). Bounded in time,
 * no redirects followed; one attempt: polling remains the reliable path. Never throws: returns
 * whether the relying party answered 2xx.
 */
export async function sendWebhook(
  url: string,
  result: PresentedResult,
  ctx: VerifierContext,
): Promise<boolean> {
  const { signer, identifier } = didSigner(await ctx.stores.presentationRequests.signer());
  const now = Math.floor(ctx.clock.now());
  const jws = await signCompactJws(
    { typ: WEBHOOK_TYP },
    { iss: identifier.clientId, aud: url, iat: now, exp: now + 300, request_id: result.id, ...result },
    signer,
  );
  const doFetch = ctx.webhooks.fetch ?? globalThis.fetch;
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/jwt' },
      body: jws,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.webhooks.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}
