// The offline proof of age (docs/age-assurance.md): a presentation of ONE single-use age
// credential disclosing only age_equal_or_over/18, with a KB-JWT whose aud is `offline:<code>`
// (the code the venue shows), rendered as a QR PNG and checked by `trieste verify-qr` with no
// network: the issuer's key comes from a trust list file pinned to its operator key. The
// credential is issued by the same core use case and options as the server's age_xa
// configuration (no status, iat rounded down to the day, 30 days).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStores,
  generatePrivateJwk,
  nodeCrypto,
  nodeSigner,
  renderQrPng,
} from '@trieste/adapters';
import {
  type IssuanceContext,
  issueCredential,
  type PublicJwk,
  presentSdJwtVc,
  type TrustedIssuer,
  toPublicJwk,
  verifyQrText,
} from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAY,
  list,
  newKey,
  sign,
  T0,
  type TestKey,
} from '../../../../packages/core/src/trust-list/trust-list.test-util.js';
import { cli } from '../cli.test-util.js';

const ISSUER = 'https://id.xa.example';
const AGE_VCT = 'urn:trieste:xa:age:1';
const SHOWN_AT = T0 + 3_600;
const at = (seconds: number) => ['--at', new Date(seconds * 1000).toISOString()];

describe('offline proof of age: trieste verify-qr on a QR PNG, trust from a trust list', () => {
  let dir: string;
  let operator: TestKey;
  let issuerKey: { kid: string; jwk: PublicJwk };
  let presentation: string;
  let png: string;
  let listFile: string;
  let operatorKeyFile: string;
  const run = (args: string[]) => cli({ TRIESTE_DATA_DIR: join(dir, 'no-installation') })(args);
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-verify-qr-age-'));
    let now = T0;
    const clock = { now: () => now };
    const stores = createMemoryStores({ clock });
    const created = await stores.keys.create('ES256', { activate: true });
    issuerKey = { kid: created.kid, jwk: created.publicJwk };
    const context: IssuanceContext = {
      stores,
      crypto: nodeCrypto(),
      clock,
      issuer: ISSUER,
      statusBaseUri: `${ISSUER}/status`,
    };
    const holderJwk = generatePrivateJwk('ES256');
    const issued = await issueCredential(
      {
        vct: AGE_VCT,
        claims: { age_equal_or_over: { '13': true, '16': true, '18': true, '21': false } },
        holderKey: toPublicJwk(holderJwk),
        expiresInSeconds: 30 * DAY,
        status: false,
        issuedAtRoundingSeconds: DAY,
      },
      context,
    );
    now = SHOWN_AT;
    presentation = await presentSdJwtVc(
      issued.credential,
      { disclose: ['/age_equal_or_over/18'], aud: 'offline:7Q4K' },
      { holder: nodeSigner(holderJwk), crypto: context.crypto, clock },
    );
    png = file('age-proof.png', renderQrPng(presentation));

    operator = await newKey();
    const ageIssuer: TrustedIssuer = {
      id: ISSUER,
      name: 'Civil Registry of XA',
      keys: [{ kid: issuerKey.kid, jwk: { ...issuerKey.jwk } }],
      credentialTypes: [AGE_VCT],
      validFrom: T0 - 365 * DAY,
      status: 'granted',
      statusStartingTime: T0 - 365 * DAY,
      history: [],
    };
    listFile = file(
      'xa-trust-list.jwt',
      `${await sign(list('XA', operator, { issuers: [ageIssuer] }), operator)}\n`,
    );
    operatorKeyFile = file('xa-operator.jwk', JSON.stringify(operator.kidJwk));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the PNG offline and shows only age_equal_or_over/18', async () => {
    const r = await run([
      '--json',
      'verify-qr',
      png,
      '--trust',
      listFile,
      '--operator-key',
      operatorKeyFile,
      ...at(SHOWN_AT + 60),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ valid: true, kind: 'sd-jwt', type: AGE_VCT, issuer: ISSUER });
    expect(report.claims).toEqual({ age_equal_or_over: { '18': true } });
    expect(report.steps.find((s: { step: string }) => s.step === 'key-binding')).toMatchObject({ ok: true });
    expect(report.steps.find((s: { step: string }) => s.step === 'status').detail).toBe(
      'not checked offline',
    );
    expect(report.trustList).toBeDefined();
    expect(presentation.length).toBeLessThan(2953);
  });

  it('refuses a stale KB-JWT: a screenshot shown later than the allowed age', async () => {
    const r = await run([
      'verify-qr',
      png,
      '--trust',
      listFile,
      '--operator-key',
      operatorKeyFile,
      ...at(SHOWN_AT + 600),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('KB_STALE');
    expect(r.stdout).toContain('INVALID sd-jwt: failed at key-binding (KB_STALE)');
  });

  it('binds the proof to the venue’s code: the core check with aud offline:<code>', async () => {
    const trust = { keys: [{ jwk: issuerKey.jwk, kid: issuerKey.kid, iss: ISSUER, types: [AGE_VCT] }] };
    const check = (aud: string, now = SHOWN_AT + 30) =>
      verifyQrText(presentation, trust, {
        now,
        sdJwt: { aud, requireKeyBinding: true, expectedVct: AGE_VCT },
      });
    const good = await check('offline:7Q4K');
    expect(good.valid, JSON.stringify(good.steps)).toBe(true);
    expect(good.claims).toEqual({ age_equal_or_over: { '18': true } });
    const otherVenue = await check('offline:9ZZZ');
    expect(otherVenue).toMatchObject({ valid: false, code: 'KB_AUDIENCE_MISMATCH' });
    const stale = await check('offline:7Q4K', SHOWN_AT + 301 + 60);
    expect(stale).toMatchObject({ valid: false, code: 'KB_STALE' });
  });
});
