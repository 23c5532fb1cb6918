import { base64Decode } from '../encoding/base64.js';
import { type CoreErrorCode, isTriesteError } from '../errors.js';
import type { ResolvedTrustedIssuer, TrustStore } from '../trust-list/create-trust-store.js';
import type { TrustedIssuer, TrustList } from '../trust-list/trust-list.js';
import type { QrTrustedKey } from './trust-material.js';

/** A key the list vouches for at the time asked, with the provenance a result reports. */
export interface QrTrustVoucher {
  label: string;
  issuer: { id: string; name: string };
  provenance: ResolvedTrustedIssuer['provenance'];
}

/** A listed key the trust store refuses at the time asked, and why (to explain a failure). */
export interface QrTrustRefusal {
  label: string;
  code: CoreErrorCode;
  message: string;
  issuer: { id: string; name: string };
}

export interface QrTrustFromTrustList {
  /** Keys the list vouches for, limited to their issuer (`iss`) and credential types. */
  keys: QrTrustedKey[];
  /** Listed keys not vouched for (withdrawn, outside validity, list past grace, type or purpose not recognised). */
  refusedKeys: QrTrustedKey[];
  vouchers: QrTrustVoucher[];
  refusals: QrTrustRefusal[];
}

/**
 * Turns one trust list held by `store` into offline QR trust material, for the CLI and for the
 * browser verifier alike: each listed issuer is resolved in the trust store at `now` for each of its
 * credential types, so the store's rules decide alone (status at `now`, validity, certificate
 * validity, recognition scoped to types and purposes, own list first, next update + grace). Keys it
 * vouches for become QR trust entries limited to that issuer and those types (a list's `dcc` is the
 * QR verifier's `hc1`); the others go to `refusedKeys` with the store's reason. `list` must be one
 * the store holds (accepted through `store.accept`).
 */
export function qrTrustFromTrustList(
  store: TrustStore,
  list: TrustList,
  options: { now: number; purpose?: string; labelPrefix?: string },
): QrTrustFromTrustList {
  const jurisdiction = list.operator.jurisdiction;
  const prefix = options.labelPrefix ?? `${jurisdiction} trust list #${list.sequenceNumber}`;
  const result: QrTrustFromTrustList = { keys: [], refusedKeys: [], vouchers: [], refusals: [] };
  for (const entry of list.issuers) {
    const label = `${prefix}: ${entry.id}`;
    const issuer = { id: entry.id, name: entry.name };
    const vouched: string[] = [];
    let provenance: ResolvedTrustedIssuer['provenance'] | undefined;
    let vouchedKeys: TrustedIssuer['keys'] = [];
    for (const credentialType of entry.credentialTypes) {
      try {
        const resolved = store.resolveIssuer({
          iss: entry.id,
          credentialType,
          ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
          now: options.now,
        });
        // Another list of the store (the own one first) may list the same id: only this list's
        // own resolution counts for this entry's keys.
        if (resolved.provenance.jurisdiction !== jurisdiction) continue;
        vouched.push(qrCredentialType(credentialType));
        vouchedKeys = resolved.keys;
        provenance = resolved.provenance;
      } catch (error) {
        if (!isTriesteError(error)) throw error;
        const refusedLabel = `${label} [${credentialType}]`;
        result.refusedKeys.push(
          ...qrKeysOf(entry.keys, entry.id, [qrCredentialType(credentialType)], refusedLabel),
        );
        result.refusals.push({ label: refusedLabel, code: error.code, message: error.message, issuer });
      }
    }
    if (provenance && vouched.length > 0) {
      result.keys.push(...qrKeysOf(vouchedKeys, entry.id, vouched, label));
      result.vouchers.push({ label, issuer, provenance });
    }
  }
  return result;
}

/** QR credential types: a list's `dcc` is the QR verifier's `hc1`; `claim169` and vct values as they are. */
export function qrCredentialType(credentialType: string): string {
  return credentialType === 'dcc' ? 'hc1' : credentialType;
}

/**
 * A list's keys as QR trust entries, limited to the issuer and the types. A key with an `x5c`
 * certificate is also given as that certificate, so an EU DCC's 8-byte kid (a digest of the
 * certificate) finds it; the certificate's validity is then enforced by the QR verifier too.
 */
function qrKeysOf(keys: TrustedIssuer['keys'], iss: string, types: string[], label: string): QrTrustedKey[] {
  return keys.flatMap((key): QrTrustedKey[] => {
    const jwk: QrTrustedKey = { jwk: { ...key.jwk }, kid: key.kid, iss, types, label };
    const certificate = key.x5c?.[0];
    if (certificate === undefined || !types.includes('hc1')) return [jwk];
    return [jwk, { certificate: base64Decode(certificate, 'x5c'), iss, types: ['hc1'], label }];
  });
}
