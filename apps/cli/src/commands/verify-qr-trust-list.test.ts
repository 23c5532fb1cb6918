// `trieste verify-qr --trust <trust list>`: Trieste trust lists as the QR verifier's trust material,
// pinned to an operator key, with the list and version that vouched in the result. Every list, key
// and code here is made in the test with our own keys (trust-list.test-util.ts, qr-fixtures).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPaperId } from '@trieste/adapters';
import { parseTrustListKey, signClaim169Qr, type TrustedIssuer, type TrustList } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IDENTITY,
  REGISTRY,
  registrySigner,
} from '../../../../packages/core/src/qr/qr-fixtures.test-util.js';
import { DGC_AT_1 } from '../../../../packages/core/src/qr/qr-vectors.test-util.js';
import {
  DAY,
  list,
  newKey,
  recognition,
  sign,
  T0,
  type TestKey,
} from '../../../../packages/core/src/trust-list/trust-list.test-util.js';
import { cli } from '../cli.test-util.js';

const at = (seconds: number) => ['--at', new Date(seconds * 1000).toISOString()];

/** The registry that signs the paper IDs, as the XA list lists it. */
function registry(overrides: Partial<TrustedIssuer> = {}): TrustedIssuer {
  return {
    id: REGISTRY,
    name: 'Civil Registry of XA',
    keys: [{ kid: registrySigner.kid, jwk: { ...registrySigner.publicJwk } }],
    credentialTypes: ['claim169'],
    validFrom: T0 - 365 * DAY,
    status: 'granted',
    statusStartingTime: T0 - 365 * DAY,
    history: [],
    ...overrides,
  };
}

describe('trieste verify-qr with a trust list', () => {
  let dir: string;
  let xa: TestKey;
  let xb: TestKey;
  let stranger: TestKey;
  let claim169: string;
  let paperIdPng: string;
  let xaList: string;
  const run = (args: string[], stdin = '') =>
    cli({ TRIESTE_DATA_DIR: join(dir, 'no-installation') })(args, stdin);
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const xaKeyFile = () => file('xa-operator.jwk', JSON.stringify(xa.kidJwk));
  const signedList = async (value: TrustList, operator: TestKey, name: string) =>
    file(name, `${await sign(value, operator)}\n`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-verify-qr-list-'));
    [xa, xb, stranger] = await Promise.all([newKey(), newKey(), newKey()]);
    claim169 = await signClaim169Qr(
      { identity: IDENTITY, issuer: REGISTRY, issuedAt: T0 - 10 * DAY, expiresAt: T0 + 365 * DAY },
      registrySigner,
    );
    const { png } = await renderPaperId({
      person: { id: IDENTITY.id, fullName: IDENTITY.fullName, dateOfBirth: '1990-03-01' },
      qrText: claim169,
      jurisdiction: { name: 'Demo Republic of XA', code: 'XA' },
    });
    paperIdPng = file('paper-id.png', png);
    xaList = await signedList(
      list('XA', xa, { sequenceNumber: 7, issuers: [registry()] }),
      xa,
      'xa-trust-list.jwt',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies a Claim 169 paper ID PNG against a trust list file pinned with --operator-key', async () => {
    const r = await run([
      'verify-qr',
      paperIdPng,
      '--trust',
      xaList,
      '--operator-key',
      xaKeyFile(),
      ...at(T0),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      `✓ signature      ES256 verified with XA trust list #7 (xa-trust-list.jwt): ${REGISTRY}`,
    );
    expect(r.stdout).toContain(`VALID claim169 from ${REGISTRY}`);
    expect(r.stdout).toContain(
      '  trust:   Civil Registry of XA, listed by the XA trust list version 7 (xa-trust-list.jwt, operator key pinned), issued 2026-05-28T20:26:40Z, next update 2026-05-29T20:26:40Z: fresh',
    );

    const json = await run([
      '--json',
      'verify-qr',
      paperIdPng,
      '--trust',
      xaList,
      '--operator-key',
      xaKeyFile(),
      ...at(T0),
    ]);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      kind: 'claim169',
      valid: true,
      issuer: REGISTRY,
      claims: { id: IDENTITY.id },
      trustList: {
        issuer: { id: REGISTRY, name: 'Civil Registry of XA' },
        list: {
          jurisdiction: 'XA',
          sequenceNumber: 7,
          issuedAt: T0,
          nextUpdate: T0 + DAY,
          freshness: 'fresh',
          listUri: 'https://xa.example/trust/list',
          file: 'xa-trust-list.jwt',
          pinned: true,
        },
      },
      trustLists: [{ file: 'xa-trust-list.jwt', jurisdiction: 'XA', sequenceNumber: 7, pinned: true }],
    });
  });

  it('reads lists, pinned operator keys and plain key files from one directory', async () => {
    const trustDir = join(dir, 'mixed');
    mkdirSync(trustDir);
    writeFileSync(join(trustDir, 'xa.jwt'), await sign(list('XA', xa, { issuers: [registry()] }), xa));
    writeFileSync(join(trustDir, 'xa.operator.jwk'), JSON.stringify(xa.kidJwk));
    const der = Buffer.from(DGC_AT_1.certificate, 'base64');
    writeFileSync(
      join(trustDir, 'at-dsc-1.pem'),
      `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`,
    );
    const fromList = await run(['--json', 'verify-qr', claim169, '--trust', trustDir, ...at(T0)]);
    expect(fromList.status, fromList.stderr).toBe(0);
    expect(JSON.parse(fromList.stdout)).toMatchObject({
      signer: { label: `XA trust list #1 (xa.jwt): ${REGISTRY}` },
      trustList: { list: { jurisdiction: 'XA', sequenceNumber: 1, file: 'xa.jwt' } },
    });
    // The certificate beside it is trusted as it is: no list vouched, so no trustList in the result.
    const fromPem = await run([
      '--json',
      'verify-qr',
      DGC_AT_1.hc1,
      '--trust',
      trustDir,
      '--at',
      '2021-05-06T18:00:00Z',
    ]);
    expect(fromPem.status, fromPem.stderr).toBe(0);
    const pem = JSON.parse(fromPem.stdout);
    expect(pem.signer.label).toBe('at-dsc-1.pem');
    expect(pem.trustList).toBeUndefined();
    // The operator key is a pin, never an issuer key: a code signed with it is not trusted.
    const byOperator = await signClaim169Qr(
      { identity: IDENTITY, issuer: REGISTRY, issuedAt: T0 - DAY },
      xa.signer,
    );
    const refused = await run(['verify-qr', byOperator, '--trust', trustDir, ...at(T0)]);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toContain('INVALID claim169: failed at key (ISSUER_UNKNOWN)');
  });

  it('takes EU DCC signer certificates from a list entry (x5c) for the issuing country', async () => {
    const clock = DGC_AT_1.validationClock;
    // The DSC as a list carries it: an x5c chain, the key read from the certificate.
    const dsc = parseTrustListKey({ kid: DGC_AT_1.kidBase64, x5c: [DGC_AT_1.certificate] });
    const atList = list('XA', xa, {
      issuedAt: clock - DAY,
      nextUpdate: clock + DAY,
      issuers: [
        registry({
          id: 'AT',
          name: 'AT DSC 1',
          keys: [dsc],
          credentialTypes: ['dcc'],
          validFrom: clock - 30 * DAY,
          statusStartingTime: clock - 30 * DAY,
        }),
      ],
    });
    const path = await signedList(atList, xa, 'dcc-list.jwt');
    const r = await run([
      '--json',
      'verify-qr',
      DGC_AT_1.hc1,
      '--trust',
      path,
      '--operator-key',
      xaKeyFile(),
      '--at',
      '2021-05-06T18:00:00Z',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'hc1',
      valid: true,
      issuer: 'AT',
      signer: { kid: DGC_AT_1.kidBase64, certificateSubject: expect.stringContaining('AT DSC 1') },
      trustList: { issuer: { id: 'AT' }, list: { jurisdiction: 'XA' } },
    });
  });

  it('refuses a withdrawn issuer, saying which list withdrew it, and accepts it before the withdrawal', async () => {
    const withdrawnAt = T0 - 2 * DAY;
    const withdrawn = await signedList(
      list('XA', xa, {
        sequenceNumber: 8,
        issuers: [
          registry({
            status: 'withdrawn',
            statusStartingTime: withdrawnAt,
            history: [{ status: 'granted', statusStartingTime: T0 - 365 * DAY }],
          }),
        ],
      }),
      xa,
      'xa-withdrawn.jwt',
    );
    const r = await run([
      'verify-qr',
      paperIdPng,
      '--trust',
      withdrawn,
      '--operator-key',
      xaKeyFile(),
      ...at(T0),
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(
      '✗ key            ISSUER_WITHDRAWN: the issuer is not granted at that time (XA trust list #8, xa-withdrawn.jwt)',
    );
    expect(r.stdout).toContain('INVALID claim169: failed at key (ISSUER_WITHDRAWN)');
    expect(r.stdout).not.toContain('✓ signature');
    expect(r.stderr).toMatch(/^trieste: ISSUER_WITHDRAWN: /);
    // The list's history says it was granted before: as of then, the code verifies.
    const before = await run([
      'verify-qr',
      claim169,
      '--trust',
      withdrawn,
      '--operator-key',
      xaKeyFile(),
      ...at(withdrawnAt - DAY),
    ]);
    expect(before.status, before.stdout).toBe(0);
  });

  it('reports a stale list in its grace period, and refuses it past the grace period', async () => {
    const args = ['verify-qr', claim169, '--trust', xaList, '--operator-key', xaKeyFile()];
    const stale = await run(['--json', ...args, ...at(T0 + DAY + 3600)]);
    expect(stale.status, stale.stderr).toBe(0);
    expect(JSON.parse(stale.stdout)).toMatchObject({
      valid: true,
      trustList: { list: { sequenceNumber: 7, freshness: 'stale-in-grace' } },
      warnings: [
        expect.stringContaining(
          'is past its next update (2026-05-29T20:26:40Z); it is used in its grace period until 2026-05-30T20:26:40Z',
        ),
      ],
    });
    expect(stale.stderr).toMatch(
      /^trieste: warning: xa-trust-list\.jwt: the trust list of XA \(version 7\) is past its next update/,
    );

    const expired = await run([...args, ...at(T0 + 2 * DAY + 1)]);
    expect(expired.status).toBe(2);
    expect(expired.stdout).toContain('INVALID claim169: failed at key (TRUST_LIST_EXPIRED)');
    expect(expired.stdout).toContain(
      '✗ key            TRUST_LIST_EXPIRED: the trust list of XA is past its next update and grace period (XA trust list #7, xa-trust-list.jwt)',
    );
    expect(expired.stderr).toContain(
      'trieste: warning: xa-trust-list.jwt: the trust list of XA (version 7) is past its next update and grace period',
    );
    expect(expired.stderr).toMatch(/trieste: TRUST_LIST_EXPIRED: /);
    // A longer grace period is the verifier's decision.
    expect((await run([...args, ...at(T0 + 2 * DAY + 1), '--grace', '2d'])).status).toBe(0);
  });

  it('refuses an unpinned list unless --unpinned, and then warns that its signature was not checked against a pin', async () => {
    const unpinned = await run(['verify-qr', paperIdPng, '--trust', xaList, ...at(T0)]);
    expect(unpinned.status).toBe(2);
    expect(unpinned.stdout).toBe('');
    expect(unpinned.stderr).toMatch(
      /^trieste: TRUST_LIST_OPERATOR_UNTRUSTED: xa-trust-list\.jwt: the trust list of XA is not signed by a pinned operator key .*--unpinned$/,
    );
    // Pinned to another key: refused too, and --unpinned does not paper over a pin that fails.
    const strangerKey = file('stranger.jwk', JSON.stringify({ ...stranger.kidJwk }));
    const wrongPin = await run([
      'verify-qr',
      claim169,
      '--trust',
      xaList,
      '--operator-key',
      strangerKey,
      ...at(T0),
    ]);
    expect(wrongPin.stderr).toMatch(/^trieste: TRUST_LIST_OPERATOR_UNTRUSTED: /);
    const xaOnlyStranger = file(
      'stranger-for-xa.json',
      JSON.stringify({
        jurisdiction: 'XA',
        keys: [{ kid: stranger.kidJwk.kid, state: 'active', public_jwk: stranger.publicJwk }],
      }),
    );
    const pinFails = await run([
      'verify-qr',
      claim169,
      '--trust',
      xaList,
      '--operator-key',
      xaOnlyStranger,
      '--unpinned',
      ...at(T0),
    ]);
    expect(pinFails.stderr).toMatch(
      /^trieste: TRUST_LIST_OPERATOR_UNTRUSTED: .*not signed by the pinned operator key of XA/,
    );

    const accepted = await run([
      '--json',
      'verify-qr',
      paperIdPng,
      '--trust',
      xaList,
      '--unpinned',
      ...at(T0),
    ]);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stderr).toBe(
      'trieste: warning: xa-trust-list.jwt: the signature of the trust list of XA (version 7) was not checked against a pinned operator key (--unpinned): anyone could have written it',
    );
    expect(JSON.parse(accepted.stdout)).toMatchObject({
      valid: true,
      trustList: { list: { pinned: false } },
    });
    // Unpinned still means intact: a list whose signature does not verify under its own key is refused.
    const parts = (await sign(list('XA', xa, { issuers: [registry()] }), xa)).split('.');
    const tampered = file(
      'tampered.jwt',
      `${parts[0]}.${parts[1]}.${parts[2]!.startsWith('A') ? 'B' : 'A'}${parts[2]!.slice(1)}`,
    );
    const bad = await run(['verify-qr', claim169, '--trust', tampered, '--unpinned', ...at(T0)]);
    expect(bad.stderr).toMatch(/^trieste: SIGNATURE_INVALID: tampered\.jwt: /);
  });

  it('pins with the GET /trust/operator-keys document, leaving retired keys out', async () => {
    const document = (state: string) =>
      JSON.stringify({
        jurisdiction: 'XA',
        keys: [
          {
            kid: xa.kidJwk.kid,
            alg: 'ES256',
            state,
            created_at: '2026-01-01T00:00:00Z',
            public_jwk: xa.publicJwk,
          },
          {
            kid: stranger.kidJwk.kid,
            alg: 'ES256',
            state: 'pending',
            created_at: '2026-01-01T00:00:00Z',
            public_jwk: stranger.publicJwk,
          },
        ],
      });
    const active = await run([
      'verify-qr',
      claim169,
      '--trust',
      xaList,
      '--operator-key',
      file('keys.json', document('active')),
      ...at(T0),
    ]);
    expect(active.status, active.stderr).toBe(0);
    const retired = await run([
      'verify-qr',
      claim169,
      '--trust',
      xaList,
      '--operator-key',
      file('retired.json', document('retired')),
      ...at(T0),
    ]);
    expect(retired.stderr).toMatch(/^trieste: TRUST_LIST_OPERATOR_UNTRUSTED: /);
    // Pinned to XB's jurisdiction only: the XA list is not pinned by it.
    const otherJurisdiction = file(
      'xb-keys.json',
      JSON.stringify({
        jurisdiction: 'XB',
        keys: [{ kid: xa.kidJwk.kid, state: 'active', public_jwk: xa.publicJwk }],
      }),
    );
    expect(
      (await run(['verify-qr', claim169, '--trust', xaList, '--operator-key', otherJurisdiction, ...at(T0)]))
        .stderr,
    ).toMatch(/^trieste: TRUST_LIST_OPERATOR_UNTRUSTED: /);
    const privateKey = file('private.jwk', JSON.stringify({ ...xa.kidJwk, d: 'AAAA' }));
    expect(
      (await run(['verify-qr', claim169, '--trust', xaList, '--operator-key', privateKey])).stderr,
    ).toMatch(/^trieste: KEY_INVALID: private\.jwk key 0 /);
  });

  it("accepts another jurisdiction's list through a pinned list's recognition, for the recognised purposes", async () => {
    const trustDir = join(dir, 'federation');
    mkdirSync(trustDir);
    writeFileSync(join(trustDir, 'xa.jwt'), await sign(list('XA', xa, { issuers: [registry()] }), xa));
    const xbList = list('XB', xb, {
      recognitions: [recognition('XA', xa, { credentialTypes: ['claim169'], purposes: ['border_control'] })],
    });
    writeFileSync(join(trustDir, 'xb.jwt'), await sign(xbList, xb));
    writeFileSync(join(trustDir, 'xb.operator.jwk'), JSON.stringify(xb.kidJwk));

    const r = await run([
      '--json',
      'verify-qr',
      claim169,
      '--trust',
      trustDir,
      '--purpose',
      'border_control',
      ...at(T0),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: true,
      trustList: {
        list: { jurisdiction: 'XA', sequenceNumber: 1, file: 'xa.jwt', pinned: true },
        recognisedBy: { jurisdiction: 'XB', sequenceNumber: 1, freshness: 'fresh' },
      },
      trustLists: [
        { file: 'xa.jwt', jurisdiction: 'XA', recognisedBy: 'XB' },
        { file: 'xb.jwt', jurisdiction: 'XB', pinned: true },
      ],
    });
    const human = await run([
      'verify-qr',
      claim169,
      '--trust',
      trustDir,
      '--purpose',
      'border_control',
      ...at(T0),
    ]);
    expect(human.stdout).toContain('           recognised by the XB trust list version 1');

    const noPurpose = await run(['verify-qr', claim169, '--trust', trustDir, ...at(T0)]);
    expect(noPurpose.status).toBe(2);
    expect(noPurpose.stdout).toContain('INVALID claim169: failed at key (PURPOSE_NOT_RECOGNISED)');
    const otherPurpose = await run([
      'verify-qr',
      claim169,
      '--trust',
      trustDir,
      '--purpose',
      'age_check',
      ...at(T0),
    ]);
    expect(otherPurpose.stdout).toContain('(PURPOSE_NOT_RECOGNISED)');
  });

  it('refuses malformed list files and keeps the newest version of a jurisdiction', async () => {
    const notAList = await run(['verify-qr', claim169, '--trust', file('trust-list.json', '{}')]);
    expect(notAList.status).toBe(2);
    expect(notAList.stderr).toMatch(/^trieste: MALFORMED: trust-list\.json: /);
    const trustDir = join(dir, 'versions');
    mkdirSync(trustDir);
    writeFileSync(join(trustDir, 'xa.operator.jwk'), JSON.stringify(xa.kidJwk));
    writeFileSync(
      join(trustDir, 'a-v9.jwt'),
      await sign(
        list('XA', xa, {
          sequenceNumber: 9,
          issuers: [
            registry({
              status: 'withdrawn',
              statusStartingTime: T0 - DAY,
              history: [{ status: 'granted', statusStartingTime: T0 - 365 * DAY }],
            }),
          ],
        }),
        xa,
      ),
    );
    writeFileSync(
      join(trustDir, 'b-v3.jwt'),
      await sign(list('XA', xa, { sequenceNumber: 3, issuers: [registry()] }), xa),
    );
    const r = await run(['--json', 'verify-qr', claim169, '--trust', trustDir, ...at(T0)]);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      code: 'ISSUER_WITHDRAWN',
      trustLists: [{ file: 'a-v9.jwt', sequenceNumber: 9 }],
    });
    // Two different lists under one sequence number: the operator equivocates, refuse both.
    writeFileSync(
      join(trustDir, 'c-v9.jwt'),
      await sign(list('XA', xa, { sequenceNumber: 9, issuers: [registry()] }), xa),
    );
    expect((await run(['verify-qr', claim169, '--trust', trustDir, ...at(T0)])).stderr).toMatch(
      /^trieste: TRUST_LIST_ROLLBACK: /,
    );
  });
});
