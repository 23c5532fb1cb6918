// Credentials from another implementation (OpenWallet Foundation's @sd-jwt/sd-jwt-vc), checked
// with `trieste present` and `trieste verify` and trust material given as files, as a verifier
// that imports another system's keys would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-util.js';

const strip = ({ key_ops: _o, ext: _e, ...key }: Record<string, unknown>) => key;

describe('credentials issued by @sd-jwt/sd-jwt-vc', () => {
  let dir: string;
  let credential: string;
  let issuerKeyFile: string;
  let holderKeyFile: string;
  const run = (args: string[]) => cli({ TRIESTE_DATA_DIR: join(dir, 'no-installation') })(args);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-foreign-'));
    const issuer = await ES256.generateKeyPair();
    const holder = await ES256.generateKeyPair();
    const sdjwt = new SDJwtVcInstance({
      signer: await ES256.getSigner(issuer.privateKey),
      signAlg: 'ES256',
      hasher: digest,
      saltGenerator: generateSalt,
    });
    credential = await sdjwt.issue(
      {
        iss: 'https://other-issuer.example',
        iat: Math.floor(Date.now() / 1000),
        vct: 'urn:example:id',
        cnf: { jwk: strip(holder.publicKey) },
        given_name: 'Lea',
        family_name: 'Rossi',
        birthdate: '2001-02-03',
      },
      { _sd: ['given_name', 'family_name', 'birthdate'] },
      { header: { kid: 'issuer-key-1' } },
    );
    // The issuer's public key as another system exports it: a bare JWK, no kid.
    issuerKeyFile = join(dir, 'issuer.jwk');
    writeFileSync(issuerKeyFile, JSON.stringify(strip(issuer.publicKey)));
    holderKeyFile = join(dir, 'holder.jwk');
    writeFileSync(holderKeyFile, JSON.stringify(strip(holder.privateKey)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses them when no given key is the issuer key', async () => {
    const other = await ES256.generateKeyPair();
    const wrongFile = join(dir, 'wrong.jwks');
    writeFileSync(wrongFile, JSON.stringify({ keys: [{ ...strip(other.publicKey), kid: 'issuer-key-1' }] }));
    const r = await run(['--json', 'verify', credential, '--issuer-key', wrongFile]);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).code).toBe('SIGNATURE_INVALID');
    const twoUnnamed = join(dir, 'two.jwks');
    writeFileSync(
      twoUnnamed,
      JSON.stringify({ keys: [strip(other.publicKey), strip((await ES256.generateKeyPair()).publicKey)] }),
    );
    expect(
      JSON.parse((await run(['--json', 'verify', credential, '--issuer-key', twoUnnamed])).stdout).code,
    ).toBe('ISSUER_UNKNOWN');
  });

  it('verifies them with the issuer key file, and presents them selectively with key binding', async () => {
    const plain = await run(['--json', 'verify', credential, '--issuer-key', issuerKeyFile]);
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({
      valid: true,
      issuer: 'https://other-issuer.example',
      vct: 'urn:example:id',
      claims: { given_name: 'Lea', family_name: 'Rossi', birthdate: '2001-02-03' },
      status: 'NONE',
    });

    const presented = await run([
      'present',
      credential,
      '--disclose',
      'given_name',
      '--holder-key',
      holderKeyFile,
      '--nonce',
      'n',
      '--aud',
      'https://rp.example',
    ]);
    expect(presented.status, presented.stderr).toBe(0);
    const verified = await run([
      '--json',
      'verify',
      presented.stdout,
      '--issuer-key',
      issuerKeyFile,
      '--nonce',
      'n',
      '--aud',
      'https://rp.example',
    ]);
    expect(verified.status, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      valid: true,
      keyBound: true,
      claims: { given_name: 'Lea' },
    });
    expect(JSON.parse(verified.stdout).claims).not.toHaveProperty('family_name');
  });
});
