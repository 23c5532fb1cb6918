import { boundedFetchText } from '@trieste/adapters';
import { type StatusListStore, TriesteError } from '@trieste/core';

export interface StatusFetcherOptions {
  /** This installation's status list base (`<issuer>/status`): read from the store, no network. */
  ownStatusBaseUri: string;
  statusLists: StatusListStore;
  /** The issuers the verifier trusts: their hosts are the only ones fetched from. */
  trustedIssuers: () => Promise<readonly string[]>;
  /** http:// status lists (tests, local demo only). */
  allowHttp?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * The `fetchStatusListToken` callback of core's createStatusResolver, with its network contract:
 * the URI comes from an untrusted credential, so our own lists are read from the store, and
 * others only from the host of an issuer the verifier trusts (an allowlist against SSRF), through
 * a fetch bounded in time and size that follows no redirect.
 */
export function createStatusFetcher(options: StatusFetcherOptions): (uri: string) => Promise<string> {
  const base = `${options.ownStatusBaseUri.replace(/\/+$/, '')}/`;
  return async (uri) => {
    if (uri.startsWith(base)) {
      const listId = uri.slice(base.length);
      const version = /^[A-Za-z0-9_-]{1,64}$/.test(listId)
        ? await options.statusLists.latestVersion(listId)
        : undefined;
      if (!version) throw new TriesteError('STATUS_UNAVAILABLE', 'no such status list here');
      return version.token;
    }
    const hosts = new Set<string>();
    for (const issuer of await options.trustedIssuers()) {
      try {
        hosts.add(new URL(issuer).host);
      } catch {
        // An issuer identifier that is no URL has no host to fetch from.
      }
    }
    return boundedFetchText(uri, {
      allowedHosts: hosts,
      accept: 'application/statuslist+jwt',
      timeoutMs: options.timeoutMs ?? 5000,
      maxBytes: options.maxBytes ?? 1024 * 1024,
      ...(options.allowHttp ? { allowHttp: true } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  };
}
