import {
  createStatusResolver,
  createTrustStore,
  isTriesteError,
  type PublicJwk,
  type QrTrustedKey,
  type QrTrustMaterial,
  readUnverifiedTrustList,
  type StatusResolver,
  type TrustListProvenance,
  type TrustStore,
  webCrypto,
} from '@trieste/core';
import { readOperatorKeys, readTrustList } from '../api/trust';

export interface OfflineTrust {
  material: QrTrustMaterial;
  /** The trust store holding the list: it also vouches for the keys of the issuers' status lists. */
  store: TrustStore;
  /** The list that vouched (this jurisdiction's own), as of when it was fetched. */
  list: Omit<TrustListProvenance, 'freshness'>;
  /** Issuers and types the list names but the trust store refused now (withdrawn, expired…), with the code. */
  refused: Array<{ issuer: string; type: string; code: string }>;
}

/** A list's `dcc` is the QR verifier's `hc1`; `claim169` and vct values as they are. */
const qrType = (credentialType: string) => (credentialType === 'dcc' ? 'hc1' : credentialType);

/**
 * The QR verifier's trust material from this jurisdiction's trust list, checked in the browser.
 * The pin is this console's own origin: its operator keys (GET /trust/operator-keys, retired keys
 * left out) are the trust anchor the list must verify under — fetched over the same connection
 * that served the page, so they are as trustworthy as the console itself. The list is then held in
 * core's trust store, which decides alone (issuer status, validity, next update and grace), and
 * every issuer key it vouches for becomes a QR trust entry limited to that issuer and its types.
 * Other jurisdictions' lists are not fetched: the page may talk to its own origin only (CSP).
 */
export async function loadOfflineTrust(): Promise<OfflineTrust> {
  const [operator, jws] = await Promise.all([readOperatorKeys(), readTrustList()]);
  // The time after the list arrived: a list published by this very request (first use) names its
  // issuers valid from its own issue time, which may be a second after the fetch began.
  const now = Math.floor(Date.now() / 1000);
  if (!operator.ok) throw new OfflineTrustError(operator.error);
  if (!jws.ok) throw new OfflineTrustError(jws.error);
  const anchors = operator.data.keys
    .filter((key) => key.state !== 'retired')
    .map((key) => ({ ...key.public_jwk, kid: key.kid }));
  const store = createTrustStore({
    home: { jurisdiction: operator.data.jurisdiction, keys: anchors as never },
    crypto: webCrypto(),
  });
  try {
    await store.accept(jws.data.trim(), now);
  } catch (error) {
    throw new OfflineTrustError(isTriesteError(error) ? error.code : 'TRUST_LIST_INVALID');
  }
  const { list } = readUnverifiedTrustList(jws.data.trim());
  const keys: QrTrustedKey[] = [];
  const refused: OfflineTrust['refused'] = [];
  for (const entry of list.issuers) {
    for (const credentialType of entry.credentialTypes) {
      try {
        const resolved = store.resolveIssuer({ iss: entry.id, credentialType, now });
        for (const key of resolved.keys) {
          keys.push({
            jwk: { ...key.jwk },
            kid: key.kid,
            iss: entry.id,
            types: [qrType(credentialType)],
            label: `${list.operator.jurisdiction} trust list #${list.sequenceNumber}: ${entry.name}`,
          });
        }
      } catch (error) {
        if (!isTriesteError(error)) throw error;
        refused.push({ issuer: entry.id, type: credentialType, code: error.code });
      }
    }
  }
  const held = store.lists()[0]!;
  return { material: { keys }, store, list: held, refused };
}

/** Largest status list token read (a list of a million 1-bit entries is ~125 KiB before zlib). */
const MAX_STATUS_TOKEN_LENGTH = 1024 * 1024;

/**
 * The revocation check of an SD-JWT VC code while online: its status list token is fetched from
 * this origin only (the `uri` comes from the code, untrusted: any other host is refused, and the
 * CSP would refuse it too) and must be signed by a key the trust list vouches for the issuer. A
 * new resolver per verification, so a revocation made a minute ago is seen now. Offline, the
 * fetch fails and the code's status step fails with STATUS_UNAVAILABLE: this console says it
 * could not check, rather than calling an unchecked code valid.
 */
export function onlineStatusResolver(trust: OfflineTrust, now: number): StatusResolver {
  return createStatusResolver({
    crypto: webCrypto(),
    fetchStatusListToken: async (uri) => {
      const url = new URL(uri);
      if (url.origin !== window.location.origin) throw new Error('status list on another origin');
      const response = await fetch(url, {
        headers: { accept: 'application/statuslist+jwt' },
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`status list: HTTP ${response.status}`);
      const text = await response.text();
      if (text.length > MAX_STATUS_TOKEN_LENGTH) throw new Error('status list too large');
      return text.trim();
    },
    issuerKeys: {
      // A status list token is the issuer speaking about its own credentials: resolved without a
      // credential type (the credential's type was checked first), by the list's kid.
      async resolve({ iss, kid }): Promise<PublicJwk | undefined> {
        try {
          const resolved = trust.store.resolveIssuer({ iss, ...(kid ? { kid } : {}), now });
          return (resolved.keys.find((key) => key.kid === kid) ?? resolved.keys[0])?.jwk;
        } catch {
          return undefined;
        }
      },
    },
  });
}

export class OfflineTrustError extends Error {
  constructor(readonly code: string) {
    super(`the trust list could not be loaded: ${code}`);
    this.name = 'OfflineTrustError';
  }
}
