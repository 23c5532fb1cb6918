import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateJwk, nodeSigner } from '@trieste/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only helpers of the core's trust list tests: keys and self-signed certificates made per run.
import { certificateFor, newKey } from '../../../packages/core/src/trust-list/trust-list.test-util.js';
import { cli } from './cli.test-util.js';

describe('trieste trust', () => {
  let dir: string;
  let run: ReturnType<typeof cli>;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-trust-'));
    run = cli({ TRIESTE_DATA_DIR: join(dir, 'data'), TRIESTE_ISSUER: 'https://id.xa.example' });
    expect((await run(['init'])).status).toBe(0);
    const { publicJwk } = nodeSigner(generatePrivateJwk('ES256'));
    writeFileSync(file('univ.jwk'), JSON.stringify(publicJwk));
    const certKey = await newKey();
    const now = Math.floor(Date.now() / 1000);
    const der = await certificateFor(certKey, { notBefore: now - 86_400, notAfter: now + 365 * 86_400 });
    writeFileSync(
      file('dsc.pem'),
      `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`,
    );
    writeFileSync(
      file('xb.jwks'),
      JSON.stringify({ keys: [{ ...nodeSigner(generatePrivateJwk('EdDSA')).publicJwk, kid: 'xb-2026' }] }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs a jurisdiction before it publishes, and takes only an ISO 3166 code', async () => {
    expect((await run(['trust', 'list'])).stdout).toBe('no trust list published yet');
    const early = await run(['trust', 'add-issuer', '--self', '--types', 'urn:x']);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/^trieste: NOT_INITIALISED: no jurisdiction/);
    const bad = await run(['trust', 'init', '--jurisdiction', 'xa']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^trieste: USAGE: /);
    const ok = await run(['trust', 'init', '--jurisdiction', 'XA', '--name', 'Demo Republic of XA']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(
      'trust list of XA, operated by Trust list operator of Demo Republic of XA, at https://id.xa.example/trust/list',
    );
  });

  it('lists, withdraws and recognises, each change a new version; shows, exports and verifies', async () => {
    const self = await run([
      'trust',
      'add-issuer',
      '--self',
      '--types',
      'urn:trieste:xa:national-identity:1',
    ]);
    expect(self.status, self.stderr).toBe(0);
    expect(self.stdout).toMatch(/^listed https:\/\/id\.xa\.example \(1 key\(s\)\); published version 1 /);

    const univ = await run([
      '--json',
      'trust',
      'add-issuer',
      '--id',
      'https://univ.xa.example',
      '--name',
      'University of XA',
      '--key',
      file('univ.jwk'),
      '--key',
      file('dsc.pem'),
      '--types',
      'urn:trieste:diploma:1,dcc',
      '--valid-until',
      '2099-01-01T00:00:00Z',
    ]);
    expect(univ.status, univ.stderr).toBe(0);
    expect(JSON.parse(univ.stdout)).toMatchObject({ created: true, version: { sequenceNumber: 2 } });

    const withdrawn = await run(['trust', 'withdraw-issuer', 'https://univ.xa.example']);
    expect(withdrawn.status, withdrawn.stderr).toBe(0);
    expect(withdrawn.stdout).toMatch(/^withdrew https:\/\/univ\.xa\.example from .*; published version 3 /);
    const twice = await run(['trust', 'withdraw-issuer', 'https://univ.xa.example']);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/^trieste: STATUS_TRANSITION_NOT_ALLOWED: /);
    const unknown = await run(['trust', 'withdraw-issuer', 'https://nobody.example']);
    expect(unknown.stderr).toMatch(/^trieste: ISSUER_UNKNOWN: /);

    const recognised = await run([
      'trust',
      'recognise',
      'XB',
      '--name',
      'Trust list operator of XB',
      '--list-url',
      'https://id.xb.example/trust/list',
      '--key',
      file('xb.jwks'),
      '--types',
      'urn:trieste:xb:national-identity:1',
      '--purposes',
      'travel,age_verification',
    ]);
    expect(recognised.status, recognised.stderr).toBe(0);
    expect(recognised.stdout).toMatch(
      /^recognised XB for urn:trieste:xb:national-identity:1 \(purposes: travel, age_verification\); published version 4 /,
    );

    const listed = await run(['trust', 'list']);
    expect(listed.stdout).toMatch(/^XA trust list, version 4, /);
    expect(listed.stdout).toMatch(/granted +https:\/\/id\.xa\.example +urn:trieste:xa:national-identity:1/);
    expect(listed.stdout).toMatch(/withdrawn +https:\/\/univ\.xa\.example +urn:trieste:diploma:1, dcc/);
    expect(listed.stdout).toMatch(/XB +https:\/\/id\.xb\.example\/trust\/list/);

    const shown = JSON.parse((await run(['trust', 'show', '2'])).stdout);
    expect(shown.sequence_number).toBe(2);
    const univKeys = shown.issuers.find(
      (issuer: { id: string }) => issuer.id === 'https://univ.xa.example',
    ).keys;
    expect(univKeys).toHaveLength(2);
    expect(univKeys[1].x5c).toHaveLength(1);
    expect((await run(['trust', 'show', '9'])).stderr).toMatch(/^trieste: INPUT_INVALID: /);
    expect((await run(['trust', 'show', 'latest'])).stderr).toMatch(/^trieste: USAGE: /);

    const exported = await run(['trust', 'export', file('list.jws')]);
    expect(exported.status, exported.stderr).toBe(0);
    expect((await run(['trust', 'export', file('list.jws')])).stderr).toMatch(/^trieste: INPUT_UNREADABLE: /);
    const verified = await run(['trust', 'verify', file('list.jws')]);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^valid: XA trust list version 4, signed by \S+, fresh /);
    const [header, payload, signature] = readFileSync(file('list.jws'), 'utf8').trim().split('.');
    const altered = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    altered.issuers = [];
    writeFileSync(
      file('tampered.jws'),
      `${header}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${signature}`,
    );
    const tampered = await run(['trust', 'verify', file('tampered.jws')]);
    expect(tampered.status).toBe(2);
    expect(tampered.stderr).toMatch(/^trieste: SIGNATURE_INVALID: /);
    const wrongKey = await run(['trust', 'verify', file('list.jws'), '--key', file('xb.jwks')]);
    expect(wrongKey.status).toBe(2);
    expect(wrongKey.stderr).toMatch(/^trieste: TRUST_LIST_OPERATOR_UNTRUSTED: /);

    const gone = await run(['trust', 'unrecognise', 'XB']);
    expect(gone.stdout).toMatch(/^no longer recognises XB; published version 5 /);
    expect((await run(['trust', 'unrecognise', 'XB'])).stderr).toMatch(
      /^trieste: TRUST_LIST_NOT_RECOGNISED: /,
    );
  });

  it('announces the next key, rotates to it, and a standalone verifier pinned to it verifies', async () => {
    const prepared = JSON.parse(
      (await run(['--json', 'trust', 'rotate-key', '--prepare', '--alg', 'EdDSA'])).stdout,
    );
    expect(prepared.prepared).toMatchObject({ alg: 'EdDSA', state: 'pending' });
    const again = await run(['trust', 'rotate-key', '--prepare']);
    expect(again.stderr).toMatch(/^trieste: DUPLICATE: /);
    const rotated = JSON.parse((await run(['--json', 'trust', 'rotate-key'])).stdout);
    expect(rotated.activated.kid).toBe(prepared.prepared.kid);
    expect(rotated.retired).toHaveLength(1);
    expect(rotated.version.signedBy).toBe(prepared.prepared.kid);
    expect((await run(['trust', 'rotate-key', '--alg', 'RS256'])).stderr).toMatch(/^trieste: USAGE: /);

    await run(['trust', 'export', file('rotated.jws')]);
    writeFileSync(
      file('operator.jwk'),
      JSON.stringify({ ...rotated.activated.publicJwk, kid: rotated.activated.kid }),
    );
    const elsewhere = cli({ TRIESTE_DATA_DIR: join(dir, 'nowhere') });
    const standalone = await elsewhere([
      'trust',
      'verify',
      file('rotated.jws'),
      '--key',
      file('operator.jwk'),
    ]);
    expect(standalone.status, standalone.stderr).toBe(0);
    expect(standalone.stdout).toMatch(/^valid: XA trust list version \d+, signed by /);
    const withoutKey = await elsewhere(['trust', 'verify', file('rotated.jws')]);
    expect(withoutKey.stderr).toMatch(/^trieste: NOT_INITIALISED: /);
    const stale = await elsewhere([
      'trust',
      'verify',
      file('rotated.jws'),
      '--key',
      file('operator.jwk'),
      '--at',
      '2099-01-01T00:00:00Z',
    ]);
    expect(stale.stdout).toMatch(/past its next update/);
  });
});
