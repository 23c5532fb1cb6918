// Real server processes for the scale-out and crash tests: `node apps/server/dist/main.js` on
// loopback, a port the OS picks, configured only through the environment as in production.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, type JWK, SignJWT } from 'jose';
import type { WalletKey } from './issuer/wallet.test-util.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'apps/server/dist/main.js');

/** The children run the built server: build it (incremental, about a second when up to date). */
export function buildServer(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'apps/server'], { cwd: ROOT, stdio: 'pipe' });
}

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  stderr(): string;
  /** The demo admin key, when this start created the installation. */
  adminKey?: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit code (0 expected). */
  stop(): Promise<number | null>;
}

/** Starts a server; resolves once its banner (printed after listen) is out. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      TRIESTE_LOG_LEVEL: 'warn',
      TRIESTE_RATE_LIMIT_MAX: '1000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30_000);
    let started = false;
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (started || !match || !stderr.includes('verifier:')) return;
      started = true;
      clearTimeout(timer);
      // The admin key lines follow the banner in the same burst; give them a moment.
      setTimeout(() => {
        const adminKey = /\n\s+(trieste\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\n/.exec(stderr)?.[1];
        resolve({
          child,
          url: match[1]!,
          stderr: () => stderr,
          ...(adminKey ? { adminKey } : {}),
          exited,
          async stop() {
            child.kill('SIGTERM');
            return (await exited).code;
          },
        });
      }, 100);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`server exited with ${code ?? signal}:\n${stderr}`));
    });
  });
}

/**
 * A load balancer in front of the processes, as a fetch: URLs under the public `issuer` origin go
 * to the process `pick()` chooses. Wallets resolve everything from the issuer's URLs, so this is
 * how a wallet meets a scaled-out installation.
 */
export function balancedFetch(issuer: string, pick: () => string): typeof globalThis.fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = url.href.startsWith(issuer) ? `${pick()}${url.href.slice(issuer.length)}` : url.href;
    return fetch(target, init);
  };
}

/** Round-robin over `urls`, request by request. */
export function roundRobin(urls: string[]): () => string {
  let next = 0;
  return () => urls[next++ % urls.length]!;
}

export const NATIONAL_IDENTITY = 'national_identity_xa';

export interface CreatedOffer {
  offer_id: string;
  tx_code: string;
  credential_offer: { grants: Record<string, { 'pre-authorized_code': string }> };
  links: { by_reference: string };
}

export async function createOffer(server: string, adminKey: string, name: string): Promise<CreatedOffer> {
  const response = await fetch(`${server}/admin/offers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      credential_configuration_id: NATIONAL_IDENTITY,
      claims: {
        given_name: name,
        family_name: 'Tester',
        birthdate: '1990-04-01',
        age_equal_or_over: { '18': true },
        personal_identifier: `XA-${name}`,
      },
    }),
  });
  if (response.status !== 200) throw new Error(`offer: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatedOffer;
}

export const preAuthorizedCode = (offer: CreatedOffer) =>
  Object.values(offer.credential_offer.grants)[0]!['pre-authorized_code'];

/** POST /token with the pre-authorized code grant (OpenID4VCI 1.0 §6.1). */
export function requestToken(server: string, code: string, txCode: string): Promise<Response> {
  const body = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': code,
    tx_code: txCode,
  });
  return fetch(`${server}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

export async function requestNonce(server: string): Promise<string> {
  const response = await fetch(`${server}/nonce`, { method: 'POST' });
  return ((await response.json()) as { c_nonce: string }).c_nonce;
}

/** A `jwt` key proof (OpenID4VCI 1.0 Appendix F.1), signed with jose by the wallet's key. */
export async function keyProof(key: WalletKey, issuer: string, nonce: string): Promise<string> {
  return new SignJWT({ aud: issuer, iat: Math.floor(Date.now() / 1000), nonce })
    .setProtectedHeader({ alg: key.alg, typ: 'openid4vci-proof+jwt', jwk: key.publicJwk as JWK })
    .sign(key.privateKey);
}

export function requestCredential(server: string, accessToken: string, proofs: string[]): Promise<Response> {
  return fetch(`${server}/credential`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_id: NATIONAL_IDENTITY, proofs: { jwt: proofs } }),
  });
}

/** The status reference of an SD-JWT VC (draft-ietf-oauth-status-list §6.2), read without verifying. */
export function statusReference(credential: string): { listId: string; index: number } {
  const payload = JSON.parse(Buffer.from(credential.split('~')[0]!.split('.')[1]!, 'base64url').toString());
  const { idx, uri } = payload.status.status_list as { idx: number; uri: string };
  return { listId: uri.slice(uri.lastIndexOf('/') + 1), index: idx };
}

export const randomMasterKey = () => randomBytes(32).toString('hex');

/** Private JWK of a wallet key, for libraries that sign with a JWK (the KB-JWT signer). */
export async function privateJwk(key: WalletKey): Promise<JsonWebKey> {
  const { key_ops: _ops, ext: _ext, ...jwk } = (await exportJWK(key.privateKey)) as JsonWebKey;
  return jwk;
}
