import { randomId } from '../encoding/random-id.js';
import { fail } from '../errors.js';
import type { Clock, Hasher, RandomSource, Stores } from '../ports.js';
import type { BlockingOptions } from './blocking-keys.js';
import { DEFAULT_MATCH_THRESHOLDS, type MatchThresholds } from './decide-match.js';
import { DEFAULT_UIN_POLICY, DEFAULT_VID_POLICY, type IdNumberPolicy } from './id-number-policy.js';
import { DEFAULT_JURISDICTION_RULES, type JurisdictionRules } from './jurisdiction-rules.js';
import type { PersonRecord } from './person.js';
import { generateUin } from './uin.js';

/**
 * What the registry's use cases need from their caller (the server or the CLI): the stores, a
 * clock, randomness and hashing, and the jurisdiction's settings (defaults: the demo jurisdiction
 * XA, MOSIP's UIN filters, the matcher thresholds chosen in docs/registry.md).
 */
export interface RegistryContext {
  stores: Stores;
  crypto: RandomSource & Hasher;
  clock: Clock;
  rules?: JurisdictionRules;
  thresholds?: MatchThresholds;
  uinPolicy?: IdNumberPolicy;
  vidPolicy?: IdNumberPolicy;
  blocking?: BlockingOptions;
  /** At most this many candidates are scored per enrolment (default 2000). */
  candidateLimit?: number;
}

export interface ResolvedRegistryContext {
  stores: Stores;
  crypto: RandomSource & Hasher;
  clock: Clock;
  rules: JurisdictionRules;
  thresholds: MatchThresholds;
  uinPolicy: IdNumberPolicy;
  vidPolicy: IdNumberPolicy;
  blocking: BlockingOptions;
  candidateLimit: number;
}

export function resolveRegistryContext(context: RegistryContext): ResolvedRegistryContext {
  if (!context?.stores || !context.crypto || !context.clock) {
    throw new TypeError('registry context needs stores, crypto and clock');
  }
  return {
    stores: context.stores,
    crypto: context.crypto,
    clock: context.clock,
    rules: context.rules ?? DEFAULT_JURISDICTION_RULES,
    thresholds: context.thresholds ?? DEFAULT_MATCH_THRESHOLDS,
    uinPolicy: context.uinPolicy ?? DEFAULT_UIN_POLICY,
    vidPolicy: context.vidPolicy ?? DEFAULT_VID_POLICY,
    // Without undated records (the rules require a birth date) the `-` lookups find nothing.
    blocking: {
      undated: !(context.rules ?? DEFAULT_JURISDICTION_RULES).required.includes('dateOfBirth'),
      ...context.blocking,
    },
    candidateLimit: context.candidateLimit ?? 2000,
  };
}

/** A new record, case or audit id (`randomId`: never with a leading `-`). */
export function newRegistryId(random: RandomSource): string {
  return randomId(random);
}

/** A UIN source for the store: a new random number on every call. */
export function uinSource(context: ResolvedRegistryContext): () => string {
  return () => generateUin(context.crypto, context.uinPolicy);
}

/** The record, or PERSON_UNKNOWN. */
export async function requirePerson(stores: Stores, id: string): Promise<PersonRecord> {
  const person = typeof id === 'string' && id !== '' ? await stores.registry.getPerson(id) : undefined;
  if (!person) throw fail('PERSON_UNKNOWN', 'no person with this id');
  return person;
}

/** Checks a caller-supplied actor or reason text: a caller's bug if missing. */
export function checkText(value: unknown, name: string, max = 300): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new TypeError(`${name} must be a non-empty string of at most ${max} characters`);
  }
}
