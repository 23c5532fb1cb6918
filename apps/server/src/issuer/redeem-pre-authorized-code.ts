import { timingSafeEqual } from 'node:crypto';
import type { Clock, Stores } from '@trieste/core';
import { ServerError } from '../http/errors.js';
import { randomSecret, sha256, txCodeHash } from './secrets.js';

/** Wrong transaction codes tolerated before the offer is locked for good. */
export const MAX_TX_CODE_ATTEMPTS = 5;
/** Access tokens are short-lived: the wallet uses one right away for its credential request. */
export const ACCESS_TOKEN_SECONDS = 300;

export interface AccessTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

type Outcome = { ok: AccessTokenResponse } | { refused: ServerError };

/**
 * The token endpoint's pre-authorized code grant (OpenID4VCI 1.0 §6.1, §6.3). The code is
 * attacker-supplied and single use: looked up by its hash under a row lock, so concurrent
 * redemptions and tx_code guesses on one offer run one after the other; each wrong tx_code is
 * counted (committed even though the request is refused) and the offer locks at the limit.
 */
export async function redeemPreAuthorizedCode(
  params: { preAuthorizedCode: string; txCode?: string },
  deps: { stores: Stores; clock: Clock },
): Promise<AccessTokenResponse> {
  const now = deps.clock.now();
  const invalid = (why: string) => ({ refused: new ServerError('invalid_grant', why) });
  const outcome = await deps.stores.transaction(async (tx): Promise<Outcome> => {
    const offer = await tx.credentialOffers.findByPreAuthorizedCodeHash(sha256(params.preAuthorizedCode));
    // One answer for unknown, used, locked and expired codes: the client learns nothing more.
    if (offer?.state !== 'offered' || offer.expiresAt <= now) {
      return invalid('the pre-authorized code is not valid');
    }
    if (offer.txCode) {
      if (params.txCode === undefined) {
        return { refused: new ServerError('invalid_request', 'this offer needs a tx_code') };
      }
      const presented = txCodeHash(params.preAuthorizedCode, params.txCode);
      if (!timingSafeEqual(presented, offer.txCode.hash)) {
        const counted = await tx.credentialOffers.recordFailedTxCode(offer.id, MAX_TX_CODE_ATTEMPTS);
        return invalid(
          counted?.state === 'locked'
            ? 'the tx_code is wrong; the offer is now locked'
            : 'the tx_code is wrong',
        );
      }
    } else if (params.txCode !== undefined) {
      return { refused: new ServerError('invalid_request', 'this offer has no tx_code') };
    }
    const accessToken = randomSecret();
    const expiresAt = now + ACCESS_TOKEN_SECONDS;
    if (!(await tx.credentialOffers.redeem(offer.id, { hash: sha256(accessToken), expiresAt }, now))) {
      return invalid('the pre-authorized code is not valid');
    }
    return { ok: { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS } };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.ok;
}
