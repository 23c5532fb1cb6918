/**
 * Typed fetch helpers for the server's own API, on the page's own origin (the CSP allows no other).
 * Every answer is a result, never an exception: the server's errors are `{ error, error_description }`
 * (a code from its closed list and a sentence without secrets), a network failure is `NETWORK`.
 */
export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: string; description: string; body?: unknown };

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The console's API key (Authorization: Bearer). */
  apiKey?: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

export function withQuery(path: string, query: ApiRequest['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(path: string, request: ApiRequest, accept: string): Promise<Response | undefined> {
  const headers: Record<string, string> = { accept };
  if (request.apiKey) headers['authorization'] = `Bearer ${request.apiKey}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(withQuery(path, request.query), {
      method: request.method ?? 'GET',
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      ...(request.signal ? { signal: request.signal } : {}),
      // The API key is a header, never a cookie; nothing else is sent.
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return undefined;
  }
}

async function failure<T>(response: Response): Promise<ApiResult<T>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error =
    typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : `HTTP_${response.status}`;
  const description =
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error_description?: unknown }).error_description === 'string'
      ? (body as { error_description: string }).error_description
      : response.statusText;
  return { ok: false, status: response.status, error, description, body };
}

const NETWORK = {
  ok: false,
  status: 0,
  error: 'NETWORK',
  description: 'the server could not be reached',
} as const;

/** A JSON request; 2xx answers are parsed as T (the server's zod presenters define their shape). */
export async function apiJson<T>(path: string, request: ApiRequest = {}): Promise<ApiResult<T>> {
  const response = await send(path, request, 'application/json');
  if (!response) return NETWORK;
  if (!response.ok) return failure<T>(response);
  if (response.status === 204) return { ok: true, status: 204, data: undefined as T };
  try {
    return { ok: true, status: response.status, data: (await response.json()) as T };
  } catch {
    return { ok: false, status: response.status, error: 'MALFORMED', description: 'the answer is not JSON' };
  }
}

/** A binary or text download (PDF, PNG, a JWS). */
export async function apiBlob(
  path: string,
  request: ApiRequest = {},
  accept = '*/*',
): Promise<ApiResult<Blob>> {
  const response = await send(path, request, accept);
  if (!response) return NETWORK;
  if (!response.ok) return failure<Blob>(response);
  return { ok: true, status: response.status, data: await response.blob() };
}

export async function apiText(
  path: string,
  request: ApiRequest = {},
  accept = '*/*',
): Promise<ApiResult<string>> {
  const response = await send(path, request, accept);
  if (!response) return NETWORK;
  if (!response.ok) return failure<string>(response);
  return { ok: true, status: response.status, data: await response.text() };
}

/**
 * What a key can do, asked without side effects: an empty body to a route that needs `role` is
 * refused by the role check (401, 403) before it is read, and by validation (400) when the key
 * passes. Nothing is created, nothing is read, nothing is audited.
 */
export async function probeRole(
  path: string,
  apiKey: string,
): Promise<'ok' | 'invalid' | 'forbidden' | 'unreachable'> {
  const result = await apiJson<unknown>(path, { method: 'POST', apiKey, body: {} });
  if (result.ok || result.status === 400) return 'ok';
  if (result.status === 401) return 'invalid';
  if (result.status === 403) return 'forbidden';
  return 'unreachable';
}
