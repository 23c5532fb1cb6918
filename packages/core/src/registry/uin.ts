import type { RandomSource } from '../ports.js';
import {
  checkIdNumberPolicy,
  DEFAULT_UIN_POLICY,
  DEFAULT_VID_POLICY,
  generateIdNumber,
  type IdNumberPolicy,
  idNumberViolation,
} from './id-number-policy.js';

/**
 * A new unique identity number candidate: random, never derived from personal data, fixed length,
 * Verhoeff check digit last, MOSIP's filters applied (`id-number-policy.ts`). The store makes it
 * unique (a UNIQUE constraint, and a new number on conflict).
 */
export function generateUin(random: RandomSource, policy: IdNumberPolicy = DEFAULT_UIN_POLICY): string {
  checkIdNumberPolicy(policy);
  return generateIdNumber(random, policy);
}

/** Whether `uin` has the policy's length and digits only, a correct check digit, and passes every filter. */
export function isValidUin(uin: string, policy: IdNumberPolicy = DEFAULT_UIN_POLICY): boolean {
  return idNumberViolation(uin, policy) === undefined;
}

/** A new virtual ID: like a UIN, 16 digits by default (`DEFAULT_VID_POLICY`), with its own check digit. */
export function generateVid(random: RandomSource, policy: IdNumberPolicy = DEFAULT_VID_POLICY): string {
  checkIdNumberPolicy(policy);
  return generateIdNumber(random, policy);
}

/** Whether `vid` is well formed under the VID policy (it may still be unknown or revoked). */
export function isValidVid(vid: string, policy: IdNumberPolicy = DEFAULT_VID_POLICY): boolean {
  return idNumberViolation(vid, policy) === undefined;
}
