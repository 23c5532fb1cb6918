import { apiJson, probeRole } from './http';

/** apps/server/src/verifier/verifier-routes.ts and present-result.ts. */
export interface CreatedRequest {
  id: string;
  status: 'pending';
  client_id: string;
  request_uri: string;
  authorization_request: string;
  qr_code: { png: string; svg: string };
  expires_at: number;
}
export interface TrustedList {
  jurisdiction: string;
  operator: string;
  uri: string;
  sequence_number: number;
  issued_at: number;
  next_update: number;
  fetched_at: number;
  freshness: 'fresh' | 'stale-in-grace';
}
export interface Trust {
  source: 'installation' | 'configured' | 'trust-list' | 'unknown';
  issuer_name?: string;
  list?: TrustedList;
  recognised_by?: TrustedList;
  status: {
    checked: boolean;
    source?: 'own-database' | 'status-list-token';
    read_at?: number;
    max_age_seconds?: number;
  };
}
export interface VerifiedCredential {
  issuer: string;
  vct: string;
  claims: Record<string, unknown>;
  key_bound: boolean;
  issued_at?: number;
  expires_at?: number;
  status?: number;
  trust?: Trust;
}
export interface PresentationResult {
  id: string;
  status: 'pending' | 'verified' | 'failed';
  reason?: string;
  purpose: string;
  purpose_code?: string;
  response_mode: string;
  created_at: number;
  expires_at: number;
  answered_at?: number;
  delete_at: number;
  result?: {
    credentials: Record<string, VerifiedCredential[]>;
    dropped_claims: Array<{ credential: string; path: Array<string | number> }>;
  };
  /** With a template: the template as the relying party gave it. */
  template?: Record<string, unknown>;
  /** A verified age_over request: the issuer's verified yes or no for that age. */
  age_check?: { age: number; over: boolean };
  /** A verified parental_consent request: the consent (nothing about the guardian). */
  consent?: ParentalConsentResult;
}
export interface ParentalConsentResult {
  type: 'trieste_parental_consent';
  given: boolean;
  child: { given_name?: string; birthdate?: string };
  transaction_data: Array<Record<string, unknown>>;
}
/** The server's request templates (apps/server/src/verifier/request-templates.ts). */
export type RequestTemplate =
  | { type: 'age_over'; age: number }
  | { type: 'parental_consent'; child: { given_name: string }; consent: string; service?: string };
export interface CreateRequestBody {
  /** Exactly one of `dcql_query` and `template`. */
  dcql_query?: Record<string, unknown>;
  template?: RequestTemplate;
  purpose: string;
  purpose_code?: string;
  trusted_issuers: string[];
  response_mode: 'direct_post' | 'direct_post.jwt';
}

export const checkVerifierKey = (apiKey: string) => probeRole('/verifier/requests', apiKey);

export const createPresentationRequest = (apiKey: string, body: CreateRequestBody) =>
  apiJson<CreatedRequest>('/verifier/requests', { method: 'POST', apiKey, body });

export const readPresentationRequest = (apiKey: string, id: string, signal?: AbortSignal) =>
  apiJson<PresentationResult>(`/verifier/requests/${encodeURIComponent(id)}`, {
    apiKey,
    ...(signal ? { signal } : {}),
  });

export const deletePresentationRequest = (apiKey: string, id: string) =>
  apiJson<void>(`/verifier/requests/${encodeURIComponent(id)}`, { method: 'DELETE', apiKey });

/** This installation's credential issuer and what it issues (OpenID4VCI 1.0 §12.2), for defaults. */
export interface IssuerMetadata {
  credential_issuer: string;
  credential_configurations_supported?: Record<string, { format?: string; vct?: string }>;
}
export const readIssuerMetadata = () => apiJson<IssuerMetadata>('/.well-known/openid-credential-issuer');
