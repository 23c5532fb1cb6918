/**
 * Keys of the transaction-scoped advisory locks (pg_advisory_xact_lock) Trieste takes. Distinct,
 * arbitrary 63-bit constants, so they do not collide with locks of other software sharing the
 * database. On PGlite (one connection) they are granted at once and cost nothing.
 */
export const ADVISORY_LOCK = {
  /** Held while migrating, so two processes starting at once do not both migrate. */
  migrate: '7365406183722369281',
  /** Held while issuer keys are created or rotated: at most one active key. */
  issuerKeys: '7365406183722369282',
  /** Held while a new status list is opened, so concurrent allocators open one, not one each. */
  statusListOpen: '7365406183722369283',
  /** Held while the log's signing key is created on first use, so two processes create one key. */
  logKey: '7365406183722369284',
  /** Held while a checkpoint is saved, so the size check and the insert are one step. */
  logCheckpoint: '7365406183722369285',
  /** Held while the verifier's request-signing key is created on first use: one key, not one per process. */
  verifierKey: '7365406183722369295',
} as const;
