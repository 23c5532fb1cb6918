import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ScreenedWebhookTarget } from './screen-webhook-address.js';

/**
 * POSTs `body` to a screened target over a connection to `target.address` only: the request's
 * lookup answers with that address whatever the host name now resolves to, so DNS rebinding
 * between the screening and the connection cannot redirect it. TLS still verifies the certificate
 * against the host name. Redirects are not followed (node's client never follows them); the
 * response body is not read. Resolves with the HTTP status; rejects on a connection failure or
 * when `timeoutMs` passes.
 */
export function postWebhook(
  target: ScreenedWebhookTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    // Node's connect asks for all addresses when it may race families (autoSelectFamily).
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, all: Array<{ address: string; family: number }>) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else {
      callback(null, target.address, target.family);
    }
  };
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    lookup: pinned,
    // No pooled socket: each attempt connects to the address it screened.
    agent: false,
    signal: AbortSignal.timeout(timeoutMs),
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target.url, options, (response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    req.on('error', reject);
    req.end(body);
  });
}
