import { describe, expect, it } from 'vitest';
import {
  AGE_VCT,
  ageOnlyStatement,
  agePool,
  agePools,
  ageThresholds,
  isSingleUseVct,
  pickAgeCredential,
  topUpPlan,
} from './age-pool';
import { type DcqlQuery, planConsent } from './plan-consent';
import type { StoredCredential } from './wallet-db';

const ISSUER = 'https://registry.xa.example';
const ID_VCT = 'urn:trieste:xa:national-identity:1';
const NOW = 1_800_000_000;

function credential(id: string, extra: Partial<StoredCredential> = {}): StoredCredential {
  return {
    id,
    sdJwt: 'x',
    holderKey: { privateKey: {} as CryptoKey, publicJwk: { kty: 'EC', crv: 'P-256', x: id, y: 'y' } },
    issuer: ISSUER,
    vct: AGE_VCT,
    claims: { age_equal_or_over: { '13': true, '16': true, '18': false, '21': false } },
    receivedAt: NOW - 100,
    expiresAt: NOW + 86_400,
    display: { issuer: [], credential: [], claims: [] },
    batchId: 'b1',
    singleUse: true,
    ...extra,
  };
}

const identity = credential('id', {
  vct: ID_VCT,
  claims: { personal_identifier: '4829175036', age_equal_or_over: { '16': true, '18': true } },
  singleUse: undefined,
  batchId: undefined,
  expiresAt: undefined,
});

const OVER_16: DcqlQuery = {
  credentials: [
    {
      id: 'age',
      format: 'dc+sd-jwt',
      meta: { vct_values: [AGE_VCT] },
      claims: [{ path: ['age_equal_or_over', '16'] }],
    },
    {
      id: 'national_identity',
      format: 'dc+sd-jwt',
      meta: { vct_values: [ID_VCT] },
      claims: [{ path: ['age_equal_or_over', '16'] }],
    },
  ],
  credential_sets: [{ options: [['age'], ['national_identity']] }],
};

describe('the pool of single-use proofs of age', () => {
  it('knows the age types, of any jurisdiction, and nothing else', () => {
    expect(isSingleUseVct(AGE_VCT)).toBe(true);
    expect(isSingleUseVct('urn:trieste:xb:age:2')).toBe(true);
    expect(isSingleUseVct(ID_VCT)).toBe(false);
    expect(isSingleUseVct('urn:trieste:xa:guardian:1')).toBe(false);
    expect(isSingleUseVct('urn:evil:age:1 ')).toBe(false);
  });

  it('counts only unused, unexpired single-use credentials, soonest to expire first', () => {
    const list = [
      credential('a', { expiresAt: NOW + 500 }),
      credential('used', { usedAt: NOW - 10 }),
      credential('expired', { expiresAt: NOW - 1 }),
      credential('b', { expiresAt: NOW + 100 }),
      credential('reusable', { singleUse: undefined }),
      identity,
    ];
    expect(agePool(list, NOW).map((c) => c.id)).toEqual(['b', 'a']);
    expect(agePool(list, NOW, 'https://other.example')).toEqual([]);
    const [pool] = agePools(list, NOW);
    expect(pool).toMatchObject({ issuer: ISSUER, vct: AGE_VCT, left: 2 });
    expect(pool!.all.map((c) => c.id)).toEqual(['a', 'used', 'expired', 'b']);
  });

  it('picks an unused one that answers the asked threshold', () => {
    const list = [credential('used', { usedAt: NOW }), credential('fresh')];
    expect(pickAgeCredential(list, 16, NOW)?.id).toBe('fresh');
    expect(pickAgeCredential(list, 18, NOW)?.id).toBe('fresh'); // a verified "no" is an answer too
    expect(pickAgeCredential(list, 65, NOW)).toBeUndefined();
    expect(pickAgeCredential([credential('used', { usedAt: NOW })], 16, NOW)).toBeUndefined();
    expect(ageThresholds(list)).toEqual([13, 16, 18, 21]);
  });

  it('never offers a used credential again in a consent plan', () => {
    const first = credential('first', { receivedAt: NOW - 1 });
    const second = credential('second', { receivedAt: NOW - 2 });
    let plan = planConsent(OVER_16, [first, second], NOW);
    expect(plan.credentials.map((c) => [c.queryId, c.credential.id])).toEqual([['age', 'first']]);
    plan = planConsent(OVER_16, [{ ...first, usedAt: NOW }, second], NOW);
    expect(plan.credentials.map((c) => c.credential.id)).toEqual(['second']);
    // All used: the national identity credential answers the other option of the set.
    plan = planConsent(OVER_16, [{ ...first, usedAt: NOW }, { ...second, usedAt: NOW }, identity], NOW);
    expect(plan.credentials.map((c) => [c.queryId, c.credential.id])).toEqual([['national_identity', 'id']]);
  });

  it('tops up below three, with the national identity credential of the same issuer only', () => {
    const canProve = (c: StoredCredential) => c.vct === ID_VCT;
    const two = [credential('a'), credential('b'), credential('u', { usedAt: NOW })];
    expect(topUpPlan([...two, identity], NOW, canProve)).toEqual({ issuer: ISSUER, identity });
    expect(topUpPlan([...two, credential('c'), identity], NOW, canProve)).toBeUndefined();
    expect(topUpPlan(two, NOW, canProve)).toBeUndefined();
    expect(
      topUpPlan([...two, { ...identity, issuer: 'https://other.example' }], NOW, canProve),
    ).toBeUndefined();
    // A wallet that never had proofs of age is not given any.
    expect(topUpPlan([identity], NOW, canProve)).toBeUndefined();
    // All used up still counts as a pool to refill.
    expect(topUpPlan([credential('u', { usedAt: NOW }), identity], NOW, canProve)).toEqual({
      issuer: ISSUER,
      identity,
    });
  });
});

describe('ageOnlyStatement', () => {
  it('says over or not over when only one age threshold would go', () => {
    expect(ageOnlyStatement([{ path: ['age_equal_or_over', '16'], value: true }])).toEqual({
      age: 16,
      over: true,
    });
    expect(ageOnlyStatement([{ path: ['age_equal_or_over', '16'], value: false }])).toEqual({
      age: 16,
      over: false,
    });
  });

  it('gives no plain statement when anything else would go', () => {
    expect(ageOnlyStatement([])).toBeUndefined();
    expect(
      ageOnlyStatement([
        { path: ['age_equal_or_over', '16'], value: true },
        { path: ['given_name'], value: 'Amina' },
      ]),
    ).toBeUndefined();
    expect(
      ageOnlyStatement([
        { path: ['age_equal_or_over', '16'], value: true },
        { path: ['age_equal_or_over', '18'], value: true },
      ]),
    ).toBeUndefined();
    expect(ageOnlyStatement([{ path: ['age_equal_or_over'], value: true }])).toBeUndefined();
    expect(ageOnlyStatement([{ path: ['age_equal_or_over', '16'], value: 'yes' }])).toBeUndefined();
  });
});
