import type { StoredCredential } from './wallet-db';

/** The age credential's type (apps/server/config/credential-configurations.json `age_xa`). */
export const AGE_VCT = 'urn:trieste:xa:age:1';

/** The guardian credential's type (`guardian_xa`): guardian → child, until the child's majority. */
export const GUARDIAN_VCT = 'urn:trieste:xa:guardian:1';

/** Below this many proofs of age left, the wallet asks the registry for a new batch. */
export const TOP_UP_BELOW = 3;

/** The most proofs the wallet asks for in one batch, whatever the issuer allows. */
export const MAX_BATCH = 20;

/**
 * Whether credentials of this type are single use: an age credential (any jurisdiction's
 * `urn:…:age:<version>`) is issued in batches and shown once each (EU age verification
 * blueprint: unlinkable presentations need one credential, one key, one set of salts per use).
 */
export function isSingleUseVct(vct: string): boolean {
  return /^urn:[^\s]+:age:\d+$/.test(vct);
}

/** A credential the wallet may still offer: unexpired and, when single use, not used yet. */
export function isUsable(credential: StoredCredential, now: number): boolean {
  if (credential.usedAt !== undefined) return false;
  return credential.expiresAt === undefined || credential.expiresAt > now;
}

/** Unused, unexpired single-use age credentials, the ones to use first (soonest to expire) first. */
export function agePool(
  credentials: readonly StoredCredential[],
  now: number,
  issuer?: string,
): StoredCredential[] {
  return credentials
    .filter(
      (c) =>
        c.singleUse === true &&
        isSingleUseVct(c.vct) &&
        isUsable(c, now) &&
        (issuer === undefined || c.issuer === issuer),
    )
    .sort((a, b) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) || a.receivedAt - b.receivedAt);
}

/** The thresholds (13, 16, …) the holder's proofs of age can answer, ascending. */
export function ageThresholds(pool: readonly StoredCredential[]): number[] {
  const found = new Set<number>();
  for (const c of pool) {
    const ages = c.claims['age_equal_or_over'];
    if (ages === null || typeof ages !== 'object' || Array.isArray(ages)) continue;
    for (const [key, value] of Object.entries(ages))
      if (/^\d{1,3}$/.test(key) && typeof value === 'boolean') found.add(Number(key));
  }
  return [...found].sort((a, b) => a - b);
}

/** One unused proof of age that states (true or false) whether the holder is over `age`. */
export function pickAgeCredential(
  credentials: readonly StoredCredential[],
  age: number,
  now: number,
): StoredCredential | undefined {
  return agePool(credentials, now).find((c) => {
    const ages = c.claims['age_equal_or_over'];
    return (
      ages !== null &&
      typeof ages === 'object' &&
      !Array.isArray(ages) &&
      typeof (ages as Record<string, unknown>)[String(age)] === 'boolean'
    );
  });
}

/** The pools on this device, one per issuer and type, with how many are left of each. */
export interface AgePoolSummary {
  issuer: string;
  vct: string;
  left: number;
  /** A usable one to show (claims, display), when any is left. */
  sample?: StoredCredential;
  /** Every record of the pool, used ones included (for removal). */
  all: StoredCredential[];
}

export function agePools(credentials: readonly StoredCredential[], now: number): AgePoolSummary[] {
  const pools = new Map<string, AgePoolSummary>();
  for (const c of credentials) {
    if (c.singleUse !== true) continue;
    const key = `${c.issuer} ${c.vct}`;
    let pool = pools.get(key);
    if (!pool) {
      pool = { issuer: c.issuer, vct: c.vct, left: 0, all: [] };
      pools.set(key, pool);
    }
    pool.all.push(c);
    if (isUsable(c, now)) {
      pool.left++;
      pool.sample ??= c;
    }
  }
  return [...pools.values()];
}

/**
 * When the holder should get more proofs of age, and with which credential: the wallet already
 * holds (or held) proofs of age of an issuer, fewer than TOP_UP_BELOW are left, and it holds a
 * usable credential `canProve` accepts (the national identity credential the registry reads the
 * record from). A wallet that never had proofs of age is not topped up: it did not ask for them.
 */
export function topUpPlan(
  credentials: readonly StoredCredential[],
  now: number,
  canProve: (credential: StoredCredential) => boolean,
): { issuer: string; identity: StoredCredential } | undefined {
  for (const pool of agePools(credentials, now)) {
    if (!isSingleUseVct(pool.vct) || pool.left >= TOP_UP_BELOW) continue;
    const identity = credentials.find(
      (c) => c.issuer === pool.issuer && c.singleUse !== true && isUsable(c, now) && canProve(c),
    );
    if (identity) return { issuer: pool.issuer, identity };
  }
  return undefined;
}

/**
 * What an age-only answer tells the verifier, for the consent screen's plain words: every claim
 * that would go is an `age_equal_or_over/<N>` boolean of one threshold. Otherwise undefined (the
 * screen lists the claims as usual).
 */
export function ageOnlyStatement(
  claims: ReadonlyArray<{ path: ReadonlyArray<string | number>; value: unknown }>,
): { age: number; over: boolean } | undefined {
  if (claims.length === 0) return undefined;
  let statement: { age: number; over: boolean } | undefined;
  for (const claim of claims) {
    const [head, age, ...rest] = claim.path;
    if (head !== 'age_equal_or_over' || typeof age !== 'string' || rest.length > 0) return undefined;
    if (!/^\d{1,3}$/.test(age) || typeof claim.value !== 'boolean') return undefined;
    const next = { age: Number(age), over: claim.value };
    if (statement && (statement.age !== next.age || statement.over !== next.over)) return undefined;
    statement = next;
  }
  return statement;
}
