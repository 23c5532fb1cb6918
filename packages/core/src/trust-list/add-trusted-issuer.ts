import { fail } from '../errors.js';
import type { TrustListVersion } from '../ports.js';
import { changeTrustList } from './change-trust-list.js';
import type { TrustListContext } from './context.js';
import { formatIsoTime } from './iso-time.js';
import { parseTrustedIssuer } from './parse-trust-list.js';
import type { TrustedIssuer } from './trust-list.js';

export interface TrustedIssuerInput {
  /** The issuer identifier: the `iss` of its credentials. */
  id: string;
  name: string;
  /** Public JWKs with `kid`, and/or `x5c` certificate chains, as they appear in the list. */
  keys: unknown[];
  credentialTypes: string[];
  /** Default: the entry's current validFrom, or now for a new entry. */
  validFrom?: number;
  validUntil?: number;
}

/**
 * Lists an issuer, or replaces the name, keys, credential types and validity of one already
 * listed, and publishes the new version. A new issuer is granted from now; a withdrawn one is
 * granted again from now, its withdrawal kept in its history. Input is checked by the list's own
 * parser (MALFORMED, KEY_INVALID), so what is stored is what the list can carry.
 */
export async function addTrustedIssuer(
  context: TrustListContext,
  input: TrustedIssuerInput,
): Promise<{ issuer: TrustedIssuer; created: boolean; version: TrustListVersion }> {
  const now = Math.floor(context.clock.now());
  // Checked before taking the lock; the status part is decided under it.
  const checked = parseTrustedIssuer(wireForm(input, input.validFrom ?? now, now), 'issuer');
  const { result, version } = await changeTrustList(context, async (stores, at) => {
    const existing = await stores.trustLists.getIssuer(checked.id);
    const issuer: TrustedIssuer = {
      ...checked,
      validFrom: input.validFrom ?? existing?.validFrom ?? at,
      status: 'granted',
      statusStartingTime: at,
      history: [],
    };
    if (existing?.status === 'granted') {
      issuer.statusStartingTime = existing.statusStartingTime;
      issuer.history = existing.history;
    } else if (existing) {
      if (existing.statusStartingTime > at) {
        throw fail(
          'STATUS_TRANSITION_NOT_ALLOWED',
          'the issuer has a withdrawal that starts later: grant it again after that',
        );
      }
      // A withdrawal undone in the second it began never took effect: it leaves no history entry.
      issuer.history =
        existing.statusStartingTime === at
          ? existing.history
          : keepHistory([
              { status: existing.status, statusStartingTime: existing.statusStartingTime },
              ...existing.history,
            ]);
    }
    if (issuer.validUntil !== undefined && issuer.validUntil <= issuer.validFrom) {
      throw fail('MALFORMED', 'issuer valid_until is not after valid_from');
    }
    await stores.trustLists.putIssuer(issuer);
    return { issuer, created: existing === undefined };
  });
  return { ...result, version };
}

/** ETSI keeps history for a "historical information period"; we keep the newest 64 changes. */
export function keepHistory<T>(history: T[]): T[] {
  return history.slice(0, 64);
}

function wireForm(input: TrustedIssuerInput, validFrom: number, now: number): unknown {
  if (typeof input !== 'object' || input === null) throw new TypeError('input must be an object');
  return {
    id: input.id,
    name: input.name,
    keys: input.keys,
    credential_types: input.credentialTypes,
    valid_from: formatIsoTime(validFrom),
    ...(input.validUntil === undefined ? {} : { valid_until: formatIsoTime(input.validUntil) }),
    status: 'granted',
    status_starting_time: formatIsoTime(now),
    history: [],
  };
}
