import { timingSafeEqual } from 'node:crypto';
import type { Clock, CredentialOfferStore } from '@trieste/core';
import { AdapterError } from '../../errors.js';
import {
  checkAuthorizationCode,
  checkNewCredentialOffer,
  checkNonce,
  checkThumbprint,
  copyOffer,
  isHashBytes,
  isOfferId,
  openClaims,
  openCode,
  sealClaims,
  sealCode,
} from '../credential-offer-checks.js';
import type { MemoryScope, MemoryState } from './memory-store-data.js';

type Entry = MemoryState['credentialOffers']['offers'] extends Map<string, infer E> ? E : never;

const sameHash = (a: Uint8Array | undefined, b: Uint8Array) =>
  a !== undefined && a.length === b.length && timingSafeEqual(a, b);

export function memoryCredentialOfferStore(
  scope: MemoryScope,
  clock: Clock,
  encryptionKey: Uint8Array,
): CredentialOfferStore {
  const find = (state: MemoryState, match: (entry: Entry) => boolean): Entry | undefined => {
    for (const entry of state.credentialOffers.offers.values()) if (match(entry)) return entry;
    return undefined;
  };
  return {
    async create(offer, secrets) {
      checkNewCredentialOffer(offer, secrets);
      const entry: Entry = {
        record: { ...structuredClone(offer), state: 'offered', failedTxCodeAttempts: 0 },
        ...(secrets.preAuthorizedCode === undefined
          ? {}
          : { sealedCode: sealCode(encryptionKey, offer.id, secrets.preAuthorizedCode) }),
        sealedClaims: sealClaims(encryptionKey, offer.id, secrets.claims),
      };
      await scope.run((state) => {
        const { offers } = state.credentialOffers;
        if (
          offers.has(offer.id) ||
          (offer.preAuthorizedCodeHash !== undefined &&
            find(state, (e) => sameHash(e.record.preAuthorizedCodeHash, offer.preAuthorizedCodeHash!)))
        ) {
          throw new AdapterError('DUPLICATE', 'an offer with this id or code exists already');
        }
        offers.set(offer.id, entry);
      });
    },
    get: (id) =>
      scope.run((state) => {
        const entry = isOfferId(id) ? state.credentialOffers.offers.get(id) : undefined;
        return entry && copyOffer(entry.record);
      }),
    preAuthorizedCode: (id, now) =>
      scope.run((state) => {
        const entry = isOfferId(id) ? state.credentialOffers.offers.get(id) : undefined;
        if (!entry?.sealedCode || entry.record.state !== 'offered' || entry.record.expiresAt <= now)
          return undefined;
        return openCode(encryptionKey, id, entry.sealedCode);
      }),
    findByPreAuthorizedCodeHash: (hash) =>
      scope.run((state) => {
        if (!isHashBytes(hash)) return undefined;
        const entry = find(state, (e) => sameHash(e.record.preAuthorizedCodeHash, hash));
        return entry && copyOffer(entry.record);
      }),
    findByAccessTokenHash: (hash) =>
      scope.run((state) => {
        if (!isHashBytes(hash)) return undefined;
        const entry = find(state, (e) => sameHash(e.record.accessTokenHash, hash));
        return entry && copyOffer(entry.record);
      }),
    findByAuthorizationCodeHash: (hash) =>
      scope.run((state) => {
        if (!isHashBytes(hash)) return undefined;
        const entry = find(state, (e) => sameHash(e.record.authorizationCode?.hash, hash));
        return entry && copyOffer(entry.record);
      }),
    async authorize(id, code, now) {
      checkAuthorizationCode(code);
      return scope.run((state) => {
        const entry = isOfferId(id) ? state.credentialOffers.offers.get(id) : undefined;
        if (entry?.record.state !== 'offered' || !entry.record.login || entry.record.expiresAt <= now) {
          return false;
        }
        if (find(state, (e) => sameHash(e.record.authorizationCode?.hash, code.hash))) {
          throw new AdapterError('DUPLICATE', 'this authorization code exists already');
        }
        entry.record.state = 'authorized';
        entry.record.authorizationCode = structuredClone(code);
        return true;
      });
    },
    recordFailedTxCode: (id, maxAttempts) =>
      scope.run((state) => {
        const entry = isOfferId(id) ? state.credentialOffers.offers.get(id) : undefined;
        if (entry?.record.state !== 'offered') return undefined;
        entry.record.failedTxCodeAttempts += 1;
        if (entry.record.failedTxCodeAttempts >= maxAttempts) {
          entry.record.state = 'locked';
          entry.sealedCode = undefined;
          entry.sealedClaims = undefined;
        }
        return copyOffer(entry.record);
      }),
    async redeem(id, accessToken, now, from = 'offered') {
      if (!isHashBytes(accessToken.hash)) throw new TypeError('the access token hash must be 32 bytes');
      return scope.run((state) => {
        const entry = isOfferId(id) ? state.credentialOffers.offers.get(id) : undefined;
        if (entry?.record.state !== from || entry.record.expiresAt <= now) return false;
        entry.record.state = 'redeemed';
        delete entry.record.authorizationCode;
        entry.record.accessTokenHash = new Uint8Array(accessToken.hash);
        entry.record.accessTokenExpiresAt = accessToken.expiresAt;
        entry.sealedCode = undefined;
        return true;
      });
    },
    takeClaims: (id, now) =>
      scope.run((state) => {
        const entry = isOfferId(id) ? state.credentialOffers.offers.get(id) : undefined;
        if (!entry?.sealedClaims || entry.record.state !== 'redeemed' || entry.record.expiresAt <= now) {
          return undefined;
        }
        const claims = openClaims(encryptionKey, id, entry.sealedClaims);
        entry.record.state = 'issued';
        entry.sealedClaims = undefined;
        return claims;
      }),
    purgeExpired: (now) =>
      scope.run((state) => {
        let touched = 0;
        for (const entry of state.credentialOffers.offers.values()) {
          if (entry.record.expiresAt <= now && (entry.sealedClaims || entry.sealedCode)) {
            entry.sealedClaims = undefined;
            entry.sealedCode = undefined;
            touched++;
          }
        }
        for (const [nonce, expiresAt] of state.credentialOffers.nonces) {
          if (expiresAt <= now) state.credentialOffers.nonces.delete(nonce);
        }
        return touched;
      }),
    async createNonce(nonce, expiresAt) {
      if (!checkNonce(nonce)) throw new TypeError('a nonce must be 16 to 128 characters');
      await scope.run((state) => {
        if (state.credentialOffers.nonces.has(nonce))
          throw new AdapterError('DUPLICATE', 'this nonce exists already');
        state.credentialOffers.nonces.set(nonce, expiresAt);
      });
    },
    consumeNonce: (nonce, now) =>
      scope.run((state) => {
        if (!checkNonce(nonce)) return false;
        const expiresAt = state.credentialOffers.nonces.get(nonce);
        if (expiresAt === undefined) return false;
        state.credentialOffers.nonces.delete(nonce);
        return expiresAt > now;
      }),
    async bindHolderKey(thumbprint, subject, now) {
      checkThumbprint(thumbprint, subject);
      return scope.run((state) => {
        const bound = state.credentialOffers.holderKeys.get(thumbprint);
        if (bound) return bound.subject === subject;
        state.credentialOffers.holderKeys.set(thumbprint, { subject, createdAt: now ?? clock.now() });
        return true;
      });
    },
  };
}
