import { writeFileSync } from 'node:fs';
import { generatePrivateJwk } from '@trieste/adapters';
import { type IssuerKeyRecord, jwkThumbprint, type SignatureAlg, toPublicJwk } from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, print } from '../io.js';
import type { Runtime } from '../runtime.js';

export function parseAlg(value: string | undefined): SignatureAlg | undefined {
  if (value === undefined) return undefined;
  if (value === 'ES256' || value === 'EdDSA') return value;
  throw new CliError('USAGE', '--alg must be ES256 or EdDSA');
}

function describe(key: IssuerKeyRecord): Record<string, unknown> {
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    createdAt: new Date(key.createdAt * 1000).toISOString(),
    retiredAt: key.retiredAt === undefined ? undefined : new Date(key.retiredAt * 1000).toISOString(),
    publicJwk: key.publicJwk,
  };
}

function line(key: IssuerKeyRecord): string {
  return `${key.state === 'active' ? '*' : ' '} ${key.kid}  ${key.alg.padEnd(5)}  ${key.state.padEnd(7)}  ${new Date(key.createdAt * 1000).toISOString()}`;
}

export async function keysList(runtime: Runtime, out: Output): Promise<void> {
  const keys = await runtime.stores.keys.list();
  print(out, keys.length === 0 ? 'no issuer keys' : keys.map(line).join('\n'), keys.map(describe));
}

export async function keysCreate(
  runtime: Runtime,
  out: Output,
  alg: SignatureAlg | undefined,
): Promise<void> {
  const hasActive = (await runtime.stores.keys.list()).some((key) => key.state === 'active');
  const key = await runtime.stores.keys.create(alg ?? 'ES256', { activate: !hasActive });
  const note =
    key.state === 'active' ? ' (active)' : ` (pending: \`trieste keys activate ${key.kid}\` to sign with it)`;
  print(out, `created ${key.alg} key ${key.kid}${note}`, describe(key));
}

export async function keysActivate(runtime: Runtime, out: Output, kid: string): Promise<void> {
  const { activated, retired } = await runtime.stores.keys.activate(kid);
  print(
    out,
    [
      `active key is now ${activated.kid} (${activated.alg})`,
      ...retired.map((key) => `retired ${key.kid}`),
    ].join('\n'),
    { activated: describe(activated), retired: retired.map(describe) },
  );
}

export async function keysRotate(
  runtime: Runtime,
  out: Output,
  alg: SignatureAlg | undefined,
): Promise<void> {
  const { created, retired } = await runtime.stores.keys.rotate(alg);
  print(
    out,
    [`active key is now ${created.kid} (${created.alg})`, ...retired.map((key) => `retired ${key.kid}`)].join(
      '\n',
    ),
    { created: describe(created), retired: retired.map(describe) },
  );
}

/**
 * A holder key pair for trying the CLI: the private JWK goes to a file created with mode 0600
 * (never to stdout), the public JWK is printed for `trieste issue --holder-key`.
 */
export function keysHolder(
  out: Output,
  alg: SignatureAlg | undefined,
  path: string,
  sha256: (d: Uint8Array) => Uint8Array,
): void {
  const jwk = generatePrivateJwk(alg ?? 'ES256');
  try {
    writeFileSync(path, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', 'cannot create the key file (does it exist already?)', { cause });
  }
  const publicJwk = toPublicJwk(jwk);
  const kid = jwkThumbprint(publicJwk, { sha256 });
  print(out, `holder key written to ${path}\nthumbprint ${kid}\n${JSON.stringify(publicJwk)}`, {
    path,
    kid,
    publicJwk,
  });
}
