import { AdapterError } from '../errors.js';

export interface BoundedFetchOptions {
  /** Hosts (`host[:port]` as in URL.host) that may be fetched; anything else is refused before any I/O. */
  allowedHosts: ReadonlySet<string>;
  /** Whole-request time limit (default 5000 ms). */
  timeoutMs?: number;
  /** Largest body read (default 1 MiB); a longer body is refused, not truncated. */
  maxBytes?: number;
  /** Accept header (e.g. `application/statuslist+jwt`). */
  accept?: string;
  /** Allow http:// (tests and local demos only); default https only. */
  allowHttp?: boolean;
  /** The fetch to use (default globalThis.fetch); tests pass a fake. */
  fetch?: typeof globalThis.fetch;
}

/**
 * GETs `url` as text under bounds an attacker cannot stretch: the URL usually comes from an
 * untrusted credential, so the host must be on an allowlist (SSRF), redirects are not followed (a
 * redirect could leave the allowlist), and the time and the bytes read are capped (a slow or
 * endless body must not hold a worker). Every refusal is an AdapterError NOT_FOUND naming the
 * reason, never the body.
 */
export async function boundedFetchText(url: string, options: BoundedFetchOptions): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AdapterError('NOT_FOUND', 'the URL is malformed');
  }
  const httpOk = parsed.protocol === 'https:' || (options.allowHttp === true && parsed.protocol === 'http:');
  if (!httpOk) throw new AdapterError('NOT_FOUND', 'only https URLs are fetched');
  if (parsed.username || parsed.password)
    throw new AdapterError('NOT_FOUND', 'URLs with credentials are not fetched');
  if (!options.allowedHosts.has(parsed.host))
    throw new AdapterError('NOT_FOUND', 'the host is not on the allowlist');
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const doFetch = options.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
  let response: Response;
  try {
    response = await doFetch(parsed, {
      redirect: 'manual',
      signal,
      headers: options.accept ? { accept: options.accept } : {},
    });
  } catch (cause) {
    throw new AdapterError('NOT_FOUND', 'the fetch failed or timed out', { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new AdapterError('NOT_FOUND', `the fetch answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new AdapterError('NOT_FOUND', 'the response is too large');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new AdapterError('NOT_FOUND', 'the response is too large');
        }
        chunks.push(value);
      }
    }
  } catch (cause) {
    if (cause instanceof AdapterError) throw cause;
    throw new AdapterError('NOT_FOUND', 'the response could not be read in time', { cause });
  }
  return Buffer.concat(chunks).toString('utf8');
}
