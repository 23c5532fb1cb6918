import type { Clock, Stores } from '@trieste/core';
import type { CredentialConfigurations } from './credential-configurations.js';
import type { AuthorizationParameters, HolderAuthenticator } from './holder-authentication.js';
import { randomSecret, sha256 } from './secrets.js';

/** Authorization codes are short-lived (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const AUTHORIZATION_CODE_SECONDS = 60;

/** The parameters of the authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID4VCI 1.0 §5.1). */
export const AUTHORIZATION_PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'issuer_state',
  'authorization_details',
  'resource',
] as const;

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  offerId: string;
  /** The credential configuration the request asks for (by scope or authorization_details). */
  credentialConfigurationId: string;
}

/** Where a refusal goes: to the wallet's redirect URI (a valid one) or to the browser (none). */
export type AuthorizationRefusal = {
  error: 'invalid_request' | 'unsupported_response_type' | 'invalid_scope' | 'access_denied';
  description: string;
};

type Parsed =
  | { ok: true; request: AuthorizationRequest; parameters: AuthorizationParameters }
  | { ok: false; redirect?: { uri: string; state?: string }; refusal: AuthorizationRefusal };

// RFC 6749 Appendix A.5 (state: VSCHAR) and RFC 7636 §4.2 (a S256 challenge is 43 base64url).
const VSCHARS = /^[\x20-\x7e]{1,500}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const OFFER_ID = /^[A-Za-z0-9_-]{16,64}$/;
// Schemes that would run code or read local data in the holder's browser, never a redirect target.
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);

function checkRedirectUri(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 2000) return undefined;
  try {
    const url = new URL(value);
    if (FORBIDDEN_SCHEMES.has(url.protocol) || url.hash !== '' || value.includes('#')) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/**
 * Checks an authorization request. The client and its redirect URI come first: until both are
 * valid, a refusal must not redirect (RFC 6749 §4.1.2.1), or the endpoint becomes an open
 * redirector. There is no client registration yet: every wallet is a public client with any
 * redirect URI, which is bound to the code and must be repeated exactly at the token endpoint.
 */
export function parseAuthorizationRequest(
  input: Record<string, string>,
  deps: { issuer: string; configurations: CredentialConfigurations },
): Parsed {
  const clientId = input['client_id'];
  if (clientId === undefined || !VSCHARS.test(clientId) || clientId.length > 200) {
    return {
      ok: false,
      refusal: { error: 'invalid_request', description: 'client_id is missing or malformed' },
    };
  }
  const redirectUri = checkRedirectUri(input['redirect_uri']);
  if (!redirectUri) {
    return {
      ok: false,
      refusal: { error: 'invalid_request', description: 'redirect_uri is missing or not allowed' },
    };
  }
  const state = input['state'];
  const redirect = { uri: redirectUri, ...(state !== undefined && VSCHARS.test(state) ? { state } : {}) };
  const refuse = (error: AuthorizationRefusal['error'], description: string): Parsed => ({
    ok: false,
    redirect,
    refusal: { error, description },
  });
  if (state !== undefined && !VSCHARS.test(state)) return refuse('invalid_request', 'state is malformed');
  if (input['response_type'] !== 'code') {
    return refuse('unsupported_response_type', 'response_type must be code');
  }
  const challenge = input['code_challenge'];
  if (challenge === undefined)
    return refuse('invalid_request', 'PKCE is required: code_challenge is missing');
  // RFC 7636 §4.3: an absent method means plain, which we refuse like an explicit plain.
  if (input['code_challenge_method'] !== 'S256') {
    return refuse('invalid_request', 'code_challenge_method must be S256');
  }
  if (!CHALLENGE.test(challenge)) return refuse('invalid_request', 'code_challenge is malformed');
  const resource = input['resource'];
  if (resource !== undefined && resource !== deps.issuer) {
    return refuse('invalid_request', 'resource must be this credential issuer');
  }
  const offerId = input['issuer_state'];
  if (offerId === undefined || !OFFER_ID.test(offerId)) {
    return refuse('invalid_request', 'issuer_state from a credential offer is required');
  }
  const requested = requestedConfigurations(input, deps.configurations);
  if ('error' in requested) return refuse('invalid_scope', requested.error);
  const ids = new Set(requested.ids);
  if (ids.size !== 1) return refuse('invalid_scope', 'ask for exactly one credential configuration');
  const parameters: AuthorizationParameters = {};
  for (const name of AUTHORIZATION_PARAMETERS) {
    const value = input[name];
    if (value !== undefined) parameters[name] = value;
  }
  return {
    ok: true,
    parameters,
    request: {
      clientId,
      redirectUri,
      ...(state === undefined ? {} : { state }),
      codeChallenge: challenge,
      offerId,
      credentialConfigurationId: [...ids][0]!,
    },
  };
}

/** OpenID4VCI 1.0 §5.1.1 (authorization_details of type openid_credential) and §5.1.2 (scope). */
function requestedConfigurations(
  input: Record<string, string>,
  configurations: CredentialConfigurations,
): { ids: string[] } | { error: string } {
  const known = (id: unknown): id is string =>
    typeof id === 'string' && Object.hasOwn(configurations.credential_configurations, id);
  const ids: string[] = [];
  const details = input['authorization_details'];
  if (details !== undefined) {
    let parsed: unknown;
    try {
      parsed = details.length <= 4096 ? JSON.parse(details) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 10) {
      return { error: 'authorization_details must be a JSON array of 1 to 10 entries' };
    }
    for (const entry of parsed) {
      const id = (entry as { credential_configuration_id?: unknown } | null)?.credential_configuration_id;
      if ((entry as { type?: unknown } | null)?.type !== 'openid_credential' || !known(id)) {
        return { error: 'authorization_details must name known configurations, type openid_credential' };
      }
      ids.push(id);
    }
  }
  const scope = input['scope'];
  if (scope !== undefined) {
    // Scopes we do not know (e.g. openid) are ignored (RFC 6749 §3.3 lets the server narrow them).
    for (const value of scope.split(' ').slice(0, 20)) if (known(value)) ids.push(value);
  }
  if (ids.length === 0)
    return { error: 'scope or authorization_details must name a credential configuration' };
  return { ids };
}

export type AuthorizationOutcome =
  | { ok: true; code: string }
  | { ok: false; retry: true }
  | { ok: false; retry: false; refusal: AuthorizationRefusal };

/**
 * After the login form: checks that the offer the `issuer_state` names is waiting for this
 * credential, lets the authenticator check the holder, and records a single-use authorization code
 * bound to the client, its redirect URI and the PKCE challenge. The code is returned once and
 * stored only as its SHA-256.
 */
export async function authorizeHolder(
  request: AuthorizationRequest,
  form: Record<string, string>,
  deps: { stores: Stores; clock: Clock; authenticator: HolderAuthenticator },
): Promise<AuthorizationOutcome> {
  const now = deps.clock.now();
  const denied = (description: string): AuthorizationOutcome => ({
    ok: false,
    retry: false,
    refusal: { error: 'access_denied', description },
  });
  const offer = await deps.stores.credentialOffers.get(request.offerId);
  // One answer for unknown, used, locked and expired offers.
  if (!offer?.login || offer.state !== 'offered' || offer.expiresAt <= now) {
    return denied('the credential offer is not valid');
  }
  if (offer.credentialConfigurationId !== request.credentialConfigurationId) {
    return {
      ok: false,
      retry: false,
      refusal: { error: 'invalid_scope', description: 'the offer is for another credential' },
    };
  }
  const result = await deps.authenticator.authenticate({ offerId: offer.id, form, now });
  if (!result.ok)
    return result.locked ? denied('too many failed logins: the offer is locked') : { ok: false, retry: true };
  const code = randomSecret();
  const authorized = await deps.stores.credentialOffers.authorize(
    offer.id,
    {
      hash: sha256(code),
      codeChallenge: request.codeChallenge,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      expiresAt: now + AUTHORIZATION_CODE_SECONDS,
    },
    now,
  );
  return authorized ? { ok: true, code } : denied('the credential offer is not valid');
}
