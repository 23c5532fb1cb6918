import { signCompactJws } from '../jws/sign-compact.js';
import type { Signer } from '../ports.js';
import { encodeStatusList } from './encode-status-list.js';
import type { StatusList } from './status-list.js';

/** The JWT `typ` of a Status List Token (§5.1). */
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';

export interface StatusListTokenClaims {
  /** The list's URI: must equal the `status.status_list.uri` of every credential pointing here. */
  sub: string;
  /** `iss`: §5.1 no longer requires it (it lists sub, iat, exp, ttl, status_list); a JWT may carry it. */
  iss?: string;
  list: StatusList;
  /** `iat`, a NumericDate (rounded down to a whole second). */
  issuedAt: number;
  /** `exp`. The draft makes it RECOMMENDED; we require it, so a list nobody re-signs goes stale. */
  expiresAt: number;
  /** Seconds a relying party may cache the list before fetching again (§5.1, §13 caching). */
  ttl?: number;
  /** `status_list.aggregation_uri` (§9). */
  aggregationUri?: string;
}

/**
 * Signs a Status List Token in JWT form (§5.1): header `typ: statuslist+jwt` with the signer's
 * `alg` and `kid`; claims `sub`, optional `iss`, `iat`, `exp`, optional `ttl`, and `status_list`
 * (§4.2). The draft also allows MACs; we sign with asymmetric keys only, so any relying party can
 * verify and none can forge (§11, "Status List Token Protection"). No CWT form.
 *
 * `signer` must hold a key the credentials' issuer is trusted to use (§11.3, "Key Resolution and
 * Trust Management"): relying parties check the list against the issuer's keys.
 */
export async function signStatusListToken(
  claims: StatusListTokenClaims,
  context: { signer: Signer },
): Promise<string> {
  const { sub, iss, list, issuedAt, expiresAt, ttl, aggregationUri } = claims;
  if (typeof sub !== 'string' || sub === '') throw new TypeError('sub must be a non-empty string');
  if (iss !== undefined && (typeof iss !== 'string' || iss === '')) {
    throw new TypeError('iss must be a non-empty string');
  }
  if (!isNumericDate(issuedAt)) throw new TypeError('issuedAt must be a NumericDate');
  if (!isNumericDate(expiresAt) || Math.floor(expiresAt) <= Math.floor(issuedAt)) {
    throw new TypeError('expiresAt must be a NumericDate after issuedAt');
  }
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl <= 0)) {
    throw new TypeError('ttl must be a positive integer');
  }
  const payload: Record<string, unknown> = { sub };
  if (iss !== undefined) payload['iss'] = iss;
  payload['iat'] = Math.floor(issuedAt);
  payload['exp'] = Math.floor(expiresAt);
  if (ttl !== undefined) payload['ttl'] = ttl;
  payload['status_list'] = encodeStatusList(list, aggregationUri === undefined ? {} : { aggregationUri });
  return signCompactJws({ typ: STATUS_LIST_JWT_TYP }, payload, context.signer);
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
