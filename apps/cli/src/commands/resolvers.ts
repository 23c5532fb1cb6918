import {
  type CryptoPort,
  createStatusResolver,
  type IssuerKeyResolver,
  jwkThumbprint,
  type PublicJwk,
  type StatusResolver,
  TriesteError,
} from '@trieste/core';
import type { Runtime } from '../runtime.js';

/**
 * Issuer keys a CLI verifier trusts: the keys given with --issuer-key (for any issuer: the user
 * vouches for them), else this installation's own keys, active or retired (a retired key no longer
 * signs, but what it signed stays verifiable), for this installation's issuer identifier only.
 */
export function cliIssuerKeys(
  runtime: Runtime | undefined,
  given: PublicJwk[] | undefined,
  crypto: CryptoPort,
): IssuerKeyResolver {
  return {
    async resolve({ iss, kid, alg }) {
      if (given) {
        const candidates = given.filter((key) => (key.kty === 'EC' ? 'ES256' : 'EdDSA') === alg);
        if (kid === undefined) return candidates.length === 1 ? candidates[0] : undefined;
        const named = candidates.find((key) => key.kid === kid || jwkThumbprint(key, crypto) === kid);
        if (named) return named;
        // A key file without `kid` (common for keys exported from other systems): the user vouches
        // for that one key, whatever name the issuer's header gives it.
        const unnamed = candidates.filter((key) => key.kid === undefined);
        return unnamed.length === 1 && candidates.length === 1 ? unnamed[0] : undefined;
      }
      if (!runtime || iss !== runtime.issuance.issuer || kid === undefined) return undefined;
      const record = await runtime.stores.keys.get(kid);
      return record && record.alg === alg ? record.publicJwk : undefined;
    },
  };
}

/**
 * Status lists a CLI verifier can reach without a network: this installation's published lists,
 * or a status list token given in a file. Anything else is STATUS_UNAVAILABLE: a verifier never
 * fetches a URL an untrusted credential names.
 */
export function cliStatusResolver(
  runtime: Runtime | undefined,
  issuerKeys: IssuerKeyResolver,
  crypto: CryptoPort,
  givenToken: string | undefined,
): StatusResolver {
  return createStatusResolver({
    issuerKeys,
    crypto,
    async fetchStatusListToken(uri) {
      if (givenToken !== undefined) return givenToken;
      const base = runtime ? `${runtime.issuance.statusBaseUri}/` : undefined;
      if (runtime && base && uri.startsWith(base)) {
        const listId = decodeURIComponent(uri.slice(base.length));
        const version = await runtime.stores.statusLists.latestVersion(listId);
        if (version) return version.token;
      }
      throw new TriesteError(
        'STATUS_UNAVAILABLE',
        'the status list is not available offline: pass --status-list',
      );
    },
  });
}
