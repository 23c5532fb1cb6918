import { fail } from '../errors.js';
import type { TrustListVersion } from '../ports.js';
import { keepHistory } from './add-trusted-issuer.js';
import { changeTrustList } from './change-trust-list.js';
import type { TrustListContext } from './context.js';
import type { TrustedIssuer } from './trust-list.js';

/**
 * Withdraws a listed issuer from `at` (default now) and publishes the new version. `at` may lie in
 * the past (a key compromise found later: verifiers judging a time after it refuse the issuer) or
 * the future (a planned end), but not before the issuer's current status began (in the same second,
 * the grant is replaced). An unknown issuer is
 * ISSUER_UNKNOWN; one already withdrawn, or a time not after its current status,
 * STATUS_TRANSITION_NOT_ALLOWED. The entry stays in the list, withdrawn, with its history.
 */
export async function withdrawTrustedIssuer(
  context: TrustListContext,
  id: string,
  options: { at?: number } = {},
): Promise<{ issuer: TrustedIssuer; version: TrustListVersion }> {
  if (typeof id !== 'string') throw new TypeError('id must be a string');
  if (options.at !== undefined && !Number.isFinite(options.at))
    throw new TypeError('at must be a NumericDate');
  const { result, version } = await changeTrustList(context, async (stores, now) => {
    const existing = await stores.trustLists.getIssuer(id);
    if (!existing) throw fail('ISSUER_UNKNOWN', 'the trust list has no issuer with this id');
    if (existing.status === 'withdrawn') {
      throw fail('STATUS_TRANSITION_NOT_ALLOWED', 'the issuer is withdrawn already');
    }
    const at = Math.floor(options.at ?? now);
    if (at < existing.statusStartingTime) {
      throw fail(
        'STATUS_TRANSITION_NOT_ALLOWED',
        'a withdrawal cannot start before the current status began',
      );
    }
    const issuer: TrustedIssuer = {
      ...existing,
      status: 'withdrawn',
      statusStartingTime: at,
      // A grant withdrawn in the second it began never took effect: it leaves no history entry.
      history:
        at === existing.statusStartingTime
          ? existing.history
          : keepHistory([
              { status: existing.status, statusStartingTime: existing.statusStartingTime },
              ...existing.history,
            ]),
    };
    await stores.trustLists.putIssuer(issuer);
    return issuer;
  });
  return { issuer: result, version };
}
