import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock, Stores } from '@trieste/core';
import { ServerError } from '../http/errors.js';
import { ACCESS_TOKEN_SECONDS, type AccessTokenResponse } from './redeem-pre-authorized-code.js';
import { randomSecret, sha256 } from './secrets.js';

// RFC 7636 §4.1: 43 to 128 unreserved characters.
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

type Outcome = { ok: AccessTokenResponse } | { refused: ServerError };

/**
 * The token endpoint's authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6, OpenID4VCI 1.0
 * §6.1). The code is attacker-supplied: looked up by its hash under a row lock, then it must be
 * unexpired, issued to this client_id for this exact redirect_uri, and the verifier's S256 must be
 * the challenge. Redemption clears the code, so it is accepted once across server processes.
 */
export async function redeemAuthorizationCode(
  params: { code: string; codeVerifier?: string; clientId?: string; redirectUri?: string },
  deps: { stores: Stores; clock: Clock },
): Promise<AccessTokenResponse> {
  const now = deps.clock.now();
  const invalid = (why: string): Outcome => ({ refused: new ServerError('invalid_grant', why) });
  const outcome = await deps.stores.transaction(async (tx): Promise<Outcome> => {
    const offer = await tx.credentialOffers.findByAuthorizationCodeHash(sha256(params.code));
    const bound = offer?.authorizationCode;
    // One answer for unknown, used and expired codes.
    if (
      !offer ||
      !bound ||
      offer.state !== 'authorized' ||
      bound.expiresAt <= now ||
      offer.expiresAt <= now
    ) {
      return invalid('the authorization code is not valid');
    }
    if (params.clientId !== bound.clientId) return invalid('the code was issued to another client');
    if (params.redirectUri !== bound.redirectUri) {
      return invalid('redirect_uri is not the one of the authorization request');
    }
    const verifier = params.codeVerifier;
    if (verifier === undefined || !VERIFIER.test(verifier)) {
      return invalid('code_verifier is missing or malformed');
    }
    const challenge = createHash('sha256').update(verifier, 'ascii').digest();
    const expected = Buffer.from(bound.codeChallenge, 'base64url');
    if (expected.length !== challenge.length || !timingSafeEqual(challenge, expected)) {
      return invalid('code_verifier does not match the code_challenge');
    }
    const accessToken = randomSecret();
    const token = { hash: sha256(accessToken), expiresAt: now + ACCESS_TOKEN_SECONDS };
    if (!(await tx.credentialOffers.redeem(offer.id, token, now, 'authorized'))) {
      return invalid('the authorization code is not valid');
    }
    return { ok: { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS } };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.ok;
}
