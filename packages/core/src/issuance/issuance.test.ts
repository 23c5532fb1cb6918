// The issuance use cases over real store semantics (the in-memory stores, which pass the same
// contract suite as PostgreSQL), verified end to end by the core's own verifier.
import { describe, expect, it } from 'vitest';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '../../../adapters/src/crypto/node-crypto.js';
import { createMemoryStores } from '../../../adapters/src/stores/memory/create-memory-stores.js';
import { toPublicJwk } from '../jwk/parse-public-jwk.js';
import type { Clock, IssuerKeyResolver, Stores } from '../ports.js';
import { applyCredentialEffects } from '../registry/apply-credential-effects.js';
import { presentSdJwtVc } from '../sd-jwt/present-sd-jwt-vc.js';
import { verifySdJwtVc } from '../sd-jwt/verify-sd-jwt-vc.js';
import { createStatusResolver } from '../status-list/create-status-resolver.js';
import { decodeStatusList } from '../status-list/decode-status-list.js';
import { changeCredentialStatus } from './change-credential-status.js';
import type { IssuanceContext } from './context.js';
import { issueCredential } from './issue-credential.js';

const NOW = 1_900_000_000;
const ISSUER = 'https://id.example.gov';
const CLAIMS = { given_name: 'Amina', birthdate: '1990-04-12', address: { locality: 'Port Azure' } };

async function setUp(clock: Clock = { now: () => NOW }) {
  const stores = createMemoryStores({ clock, statusLists: { size: 1024 } });
  await stores.keys.create('ES256', { activate: true });
  const crypto = nodeCrypto();
  const context: IssuanceContext = {
    stores,
    crypto,
    clock,
    issuer: ISSUER,
    statusBaseUri: `${ISSUER}/status/`,
  };
  const issuerKeys: IssuerKeyResolver = {
    async resolve({ iss, kid }) {
      const key = iss === ISSUER && kid ? await stores.keys.get(kid) : undefined;
      return key?.publicJwk;
    },
  };
  // Each resolver has its own cache; a fresh one per verification sees the latest version.
  const verify = (presentation: string, nonce = 'n-1') =>
    verifySdJwtVc(
      presentation,
      { nonce, aud: 'https://rp.example' },
      {
        crypto,
        clock,
        issuerKeys,
        status: createStatusResolver({
          issuerKeys,
          crypto,
          async fetchStatusListToken(uri) {
            const listId = decodeURIComponent(uri.slice(`${ISSUER}/status/`.length));
            const version = await stores.statusLists.latestVersion(listId);
            if (!version) throw new Error('no such list');
            return version.token;
          },
        }),
      },
    );
  return { stores, context, verify, crypto, clock };
}

function holder() {
  const jwk = generatePrivateJwk('ES256');
  return { signer: nodeSigner(jwk), publicJwk: toPublicJwk(jwk) };
}

async function entries(stores: Stores) {
  const lists = await stores.statusLists.lists();
  return lists.reduce((sum, list) => sum + list.allocated, 0);
}

describe('issueCredential', () => {
  it('stores nothing and consumes no status entry when signing fails', async () => {
    const { stores, context } = await setUp();
    const failing: Stores = {
      ...stores,
      transaction: (work) =>
        stores.transaction((tx) =>
          work({ ...tx, keys: { ...tx.keys, signer: async () => Promise.reject(new Error('HSM offline')) } }),
        ),
    };
    await expect(
      issueCredential({ vct: 'urn:x', claims: CLAIMS }, { ...context, stores: failing }),
    ).rejects.toThrow('HSM offline');
    expect(await stores.credentials.list()).toEqual([]);
    expect(await entries(stores)).toBe(0);
  });

  it('refuses reserved claim names as a caller bug, storing nothing', async () => {
    const { stores, context } = await setUp();
    await expect(
      issueCredential({ vct: 'urn:x', claims: { iss: 'https://evil.example' } }, context),
    ).rejects.toThrow(TypeError);
    expect(await stores.credentials.list()).toEqual([]);
  });

  it('issues with a random status entry, records no claim value, and publishes the list', async () => {
    const { stores, context, verify, crypto, clock } = await setUp();
    const h = holder();
    const issued = await issueCredential(
      { vct: 'urn:x', claims: CLAIMS, holderKey: h.publicJwk, expiresInSeconds: 3600 },
      context,
    );
    const { record } = issued;
    expect(record).toMatchObject({ vct: 'urn:x', issuedAt: NOW, expiresAt: NOW + 3600 });
    expect(issued.statusListUri).toBe(`${ISSUER}/status/${record.statusListId}`);
    const stored = JSON.stringify(await stores.credentials.get(record.id));
    for (const value of ['Amina', '1990-04-12', 'Port Azure']) expect(stored).not.toContain(value);
    const version = await stores.statusLists.latestVersion(record.statusListId!);
    expect(version?.version).toBe(1);

    const presentation = await presentSdJwtVc(
      issued.credential,
      { disclose: ['/given_name'], nonce: 'n-1', aud: 'https://rp.example' },
      { holder: h.signer, crypto, clock },
    );
    const result = await verify(presentation);
    expect(result.claims).toEqual({ given_name: 'Amina' });
    expect(result.status).toEqual({ uri: issued.statusListUri, idx: record.statusIndex, value: 0 });
  });

  it('spreads status indices at random, not in issuance order', async () => {
    const { context } = await setUp();
    const indices: number[] = [];
    for (let i = 0; i < 40; i++)
      indices.push((await issueCredential({ vct: 'urn:x', claims: {} }, context)).record.statusIndex!);
    expect(new Set(indices).size).toBe(40);
    const ascending = indices.every((v, i) => i === 0 || v > indices[i - 1]!);
    expect(ascending).toBe(false);
  });
});

describe('issueCredential without status, with a rounded issuance time', () => {
  const DAY = 86_400;
  // 1_900_000_000 is 2030-03-17T17:46:40Z: the day began 63_999 seconds earlier.
  const DAY_START = NOW - (NOW % DAY);

  it('issues no status claim, allocates no entry, rounds iat down and counts exp from it', async () => {
    const { stores, context, verify, crypto, clock } = await setUp();
    const h = holder();
    const issued = await issueCredential(
      {
        vct: 'urn:age',
        claims: { age_equal_or_over: { '18': true } },
        holderKey: h.publicJwk,
        expiresInSeconds: 30 * DAY,
        status: false,
        issuedAtRoundingSeconds: DAY,
      },
      context,
    );
    expect(DAY_START).toBe(1_899_936_000);
    expect(issued.statusListUri).toBeUndefined();
    expect(issued.record).toMatchObject({ issuedAt: DAY_START, expiresAt: DAY_START + 30 * DAY });
    expect('statusListId' in issued.record || 'statusIndex' in issued.record).toBe(false);
    expect(await entries(stores)).toBe(0);
    expect(await stores.credentials.get(issued.record.id)).toEqual(issued.record);
    const payload = JSON.parse(Buffer.from(issued.credential.split('.')[1]!, 'base64url').toString());
    expect(payload.status).toBeUndefined();
    expect(payload).toMatchObject({ iat: DAY_START, exp: DAY_START + 30 * DAY });
    const presentation = await presentSdJwtVc(
      issued.credential,
      { disclose: ['/age_equal_or_over/18'], nonce: 'n-1', aud: 'https://rp.example' },
      { holder: h.signer, crypto, clock },
    );
    const result = await verify(presentation);
    expect(result.claims).toEqual({ age_equal_or_over: { '18': true } });
    expect(result.status).toBeUndefined();
  });

  it('gives every credential of the day the same iat, whatever the second of issuance', async () => {
    let now = DAY_START + 5;
    const { context } = await setUp({ now: () => now });
    const times = [];
    for (const at of [DAY_START, DAY_START + 1, DAY_START + DAY - 1]) {
      now = at;
      const { record } = await issueCredential(
        {
          vct: 'urn:age',
          claims: {},
          status: false,
          issuedAtRoundingSeconds: DAY,
          expiresInSeconds: DAY + 60,
        },
        context,
      );
      times.push([record.issuedAt, record.expiresAt]);
    }
    expect(new Set(times.map((t) => t.join()))).toEqual(new Set([`${DAY_START},${DAY_START + DAY + 60}`]));
  });

  it('ends validity at notAfter when it comes first, and refuses one already past', async () => {
    const { stores, context } = await setUp();
    const { record } = await issueCredential(
      { vct: 'urn:guardian', claims: {}, expiresInSeconds: 365 * DAY, notAfter: NOW + 10 * DAY },
      context,
    );
    expect(record.expiresAt).toBe(NOW + 10 * DAY);
    expect(record.statusListId).toBeDefined();
    const longer = await issueCredential(
      { vct: 'urn:guardian', claims: {}, expiresInSeconds: DAY, notAfter: NOW + 10 * DAY },
      context,
    );
    expect(longer.record.expiresAt).toBe(NOW + DAY);
    const count = (await stores.credentials.list()).length;
    await expect(
      issueCredential({ vct: 'urn:guardian', claims: {}, notAfter: NOW }, context),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_EXPIRED' });
    // Rounded down, a short validity can end before now: refused too, never issued expired.
    await expect(
      issueCredential(
        { vct: 'urn:age', claims: {}, status: false, issuedAtRoundingSeconds: DAY, expiresInSeconds: 60 },
        context,
      ),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_EXPIRED' });
    expect(await stores.credentials.list()).toHaveLength(count);
    await expect(
      issueCredential({ vct: 'urn:age', claims: {}, issuedAtRoundingSeconds: 0 }, context),
    ).rejects.toThrow(TypeError);
  });
});

describe('applyCredentialEffects', () => {
  it('skips a credential without a status entry and changes the others', async () => {
    const { stores, context } = await setUp();
    const bare = await issueCredential({ vct: 'urn:age', claims: {}, status: false }, context);
    const revocable = await issueCredential({ vct: 'urn:x', claims: {} }, context);
    const effects = { suspend: [], reinstate: [], reissue: false };
    const result = await stores.transaction((tx) =>
      applyCredentialEffects({ ...effects, revoke: [bare.record.id, revocable.record.id] }, context, tx),
    );
    expect(result).toEqual({ changed: 1 });
    expect(
      await stores.statusLists.getStatus(revocable.record.statusListId!, revocable.record.statusIndex!),
    ).toBe(1);
  });
});

describe('changeCredentialStatus', () => {
  it('refuses an unallocated entry and an unknown list without publishing', async () => {
    const { stores, context } = await setUp();
    const { record } = await issueCredential({ vct: 'urn:x', claims: {} }, context);
    const free = record.statusIndex === 0 ? 1 : 0;
    await expect(
      changeCredentialStatus(record.statusListId!, free, 'invalid', context),
    ).rejects.toMatchObject({
      code: 'STATUS_INDEX_OUT_OF_RANGE',
    });
    await expect(changeCredentialStatus('no-such-list', 0, 'invalid', context)).rejects.toMatchObject({
      code: 'STATUS_INDEX_OUT_OF_RANGE',
    });
    expect((await stores.statusLists.latestVersion(record.statusListId!))?.version).toBe(1);
    await expect(changeCredentialStatus(record.statusListId!, 0, 'gone' as 'valid', context)).rejects.toThrow(
      TypeError,
    );
  });

  it('suspends, reinstates and revokes, each published at once; revocation is final', async () => {
    const { stores, context, verify, crypto, clock } = await setUp();
    const h = holder();
    const { credential, record } = await issueCredential(
      { vct: 'urn:x', claims: CLAIMS, holderKey: h.publicJwk },
      context,
    );
    const presentation = await presentSdJwtVc(
      credential,
      { disclose: [], nonce: 'n-1', aud: 'https://rp.example' },
      { holder: h.signer, crypto, clock },
    );
    const list = record.statusListId!;
    const idx = record.statusIndex!;

    expect(await changeCredentialStatus(list, idx, 'suspended', context)).toMatchObject({
      previous: 0,
      current: 2,
    });
    await expect(verify(presentation)).rejects.toMatchObject({ code: 'STATUS_SUSPENDED' });
    await changeCredentialStatus(list, idx, 'valid', context);
    await expect(verify(presentation)).resolves.toMatchObject({ status: { value: 0 } });
    await changeCredentialStatus(list, idx, 'invalid', context);
    await expect(verify(presentation)).rejects.toMatchObject({ code: 'STATUS_REVOKED' });

    for (const status of ['valid', 'suspended'] as const) {
      await expect(changeCredentialStatus(list, idx, status, context)).rejects.toMatchObject({
        code: 'STATUS_TRANSITION_NOT_ALLOWED',
      });
    }
    const latest = await stores.statusLists.latestVersion(list);
    expect(latest?.version).toBe(4);
    // The published token carries the list the verifier decodes: the entry is INVALID there.
    const payload = JSON.parse(Buffer.from(latest!.token.split('.')[1]!, 'base64url').toString());
    expect(decodeStatusList(payload.status_list).list.get(idx)).toBe(1);
    expect(payload).toMatchObject({
      sub: `${ISSUER}/status/${list}`,
      iss: ISSUER,
      iat: NOW,
      exp: NOW + 86400,
      ttl: 3600,
    });
  });
});
