import { WalletError } from './wallet-error';

/** What a server may send us at most: offers, metadata, request objects and credentials are small. */
const MAX_RESPONSE_CHARS = 1024 * 1024;
const TIMEOUT_MS = 20_000;

export type Fetch = typeof globalThis.fetch;

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * One bounded HTTP exchange: a timeout, a size cap on what is read, no cookies sent anywhere
 * (`credentials: 'omit'`: the issuer and verifier need none, and an ambient session must not
 * authorise a wallet request). Network failures are NETWORK; the status is the caller's business.
 */
export async function exchange(
  url: string,
  init: RequestInit = {},
  fetchImpl: Fetch = fetch,
): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetchImpl(url, {
      ...init,
      credentials: 'omit',
      redirect: 'error',
      cache: 'no-store',
      signal: controller.signal,
    });
    const text = await response.text();
    if (text.length > MAX_RESPONSE_CHARS)
      throw new WalletError('RESPONSE_INVALID', `${url}: the answer is too large`);
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
  } catch (cause) {
    if (cause instanceof WalletError) throw cause;
    throw new WalletError('NETWORK', `${init.method ?? 'GET'} ${url} failed`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

/** A JSON object from an answer, or RESPONSE_INVALID. */
export function jsonObject(answer: HttpAnswer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(answer.text);
  } catch (cause) {
    throw new WalletError('RESPONSE_INVALID', `${what} is not JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new WalletError('RESPONSE_INVALID', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** The OAuth error code of a refusal (RFC 6749 §5.2), when the body has one. */
export function oauthError(answer: HttpAnswer): string | undefined {
  try {
    const body = JSON.parse(answer.text) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/** GET of a JSON document that must answer 200. */
export async function getJson(
  url: string,
  what: string,
  fetchImpl?: Fetch,
): Promise<Record<string, unknown>> {
  const answer = await exchange(url, { method: 'GET', headers: { accept: 'application/json' } }, fetchImpl);
  if (answer.status !== 200) throw new WalletError('RESPONSE_INVALID', `${what}: HTTP ${answer.status}`);
  return jsonObject(answer, what);
}

/** Only http(s) URLs are fetched; http only for loopback and local demos is the server's concern. */
export function httpUrl(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new WalletError('RESPONSE_INVALID', `${what} is missing`);
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new WalletError('RESPONSE_INVALID', `${what} is not a URL`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WalletError('RESPONSE_INVALID', `${what} is not an http(s) URL`);
  // As written, not normalised: an issuer identifier is compared (and signed as `aud`) verbatim.
  return value;
}

/**
 * A well-known URL of an identifier (RFC 8615 as OpenID4VCI 1.0 §12.2.2 and RFC 8414 §3.1 use it):
 * the well-known segment goes between the host and the identifier's path.
 */
export function wellKnownUrl(identifier: string, name: string): string {
  const url = new URL(identifier);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/${name}${path}`;
}
