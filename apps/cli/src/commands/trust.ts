import { writeFileSync } from 'node:fs';
import { isAdapterError, nodeCrypto, TRUST_LIST_SETTINGS, trustListContextFor } from '@trieste/adapters';
import {
  addTrustedIssuer,
  base64Decode,
  base64Encode,
  encodeTrustList,
  formatIsoTime,
  jwkThumbprint,
  type PublicJwk,
  parseJurisdiction,
  parseTrustListKey,
  prepareTrustListKey,
  readUnverifiedTrustList,
  recogniseJurisdiction,
  refreshTrustList,
  rotateTrustListKey,
  type SignatureAlg,
  type TrustList,
  type TrustListContext,
  type TrustListKeyRecord,
  type TrustListVersion,
  toPublicJwk,
  unrecogniseJurisdiction,
  verifyTrustList,
  withdrawTrustedIssuer,
} from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, parseJsonInput, print } from '../io.js';
import type { Runtime } from '../runtime.js';

// `trieste trust`: the trust list this installation operates (docs/trust-list-profile.md), on the
// local installation, through the same core use cases as the server's admin API: every change
// publishes version last + 1, signed by the trust list key, logged in the same transaction.

async function context(runtime: Runtime): Promise<TrustListContext> {
  try {
    return await trustListContextFor(runtime.issuance);
  } catch (error) {
    if (isAdapterError(error) && error.code === 'NOT_FOUND') {
      throw new CliError(
        'NOT_INITIALISED',
        'no jurisdiction: run `trieste trust init --jurisdiction <code>` first',
      );
    }
    throw error;
  }
}

const iso = (seconds: number) => formatIsoTime(Math.floor(seconds));

function versionLine(version: TrustListVersion): string {
  return `published version ${version.sequenceNumber} (next update ${iso(version.nextUpdate)})`;
}

function presentVersion(version: TrustListVersion) {
  return {
    sequenceNumber: version.sequenceNumber,
    issuedAt: iso(version.issuedAt),
    nextUpdate: iso(version.nextUpdate),
    signedBy: version.signedBy,
  };
}

function presentKey(key: TrustListKeyRecord) {
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    createdAt: iso(key.createdAt),
    ...(key.retiredAt === undefined ? {} : { retiredAt: iso(key.retiredAt) }),
    publicJwk: key.publicJwk,
  };
}

/** Sets the jurisdiction (and names) the installation's list is published for. */
export async function trustInit(
  runtime: Runtime,
  out: Output,
  options: { jurisdiction: string; name?: string; operator?: string },
): Promise<void> {
  let jurisdiction: string;
  try {
    jurisdiction = parseJurisdiction(options.jurisdiction, '--jurisdiction');
  } catch {
    throw new CliError('USAGE', '--jurisdiction is an ISO 3166-1 alpha-2 code in upper case, e.g. XA');
  }
  const { settings } = runtime.stores;
  const current = await settings.get(TRUST_LIST_SETTINGS.jurisdiction);
  // Verifiers keep one sequence per jurisdiction: a list that changed jurisdiction would restart it.
  if (current && current !== jurisdiction && (await runtime.stores.trustLists.latestVersion())) {
    throw new CliError('INPUT_INVALID', `this installation publishes the trust list of ${current} already`);
  }
  await settings.set(TRUST_LIST_SETTINGS.jurisdiction, jurisdiction);
  if (options.name) await settings.set(TRUST_LIST_SETTINGS.jurisdictionName, options.name);
  if (options.operator) await settings.set(TRUST_LIST_SETTINGS.operatorName, options.operator);
  const ctx = await context(runtime);
  print(out, `trust list of ${jurisdiction}, operated by ${ctx.operator.name}, at ${ctx.listUri}`, {
    jurisdiction,
    operator: ctx.operator.name,
    listUri: ctx.listUri,
  });
}

/** A summary of the latest published version (what GET /trust/list serves). */
export async function trustList(runtime: Runtime, out: Output): Promise<void> {
  const version = await runtime.stores.trustLists.latestVersion();
  if (!version) {
    print(out, 'no trust list published yet', { published: false });
    return;
  }
  const { list } = readUnverifiedTrustList(version.jws);
  const lines = [
    `${list.operator.jurisdiction} trust list, version ${list.sequenceNumber}, issued ${iso(list.issuedAt)}, next update ${iso(list.nextUpdate)}`,
    `  operator: ${list.operator.name} (${list.operator.keys.map((key) => key.kid).join(', ')})`,
    `  issuers:${list.issuers.length === 0 ? ' none' : ''}`,
    ...list.issuers.map(
      (issuer) =>
        `    ${issuer.status.padEnd(9)} ${issuer.id}  ${issuer.credentialTypes.join(', ')}  (since ${iso(issuer.statusStartingTime)})`,
    ),
    `  recognises:${list.recognitions.length === 0 ? ' none' : ''}`,
    ...list.recognitions.map(
      (r) =>
        `    ${r.jurisdiction}  ${r.listUri}  types: ${r.credentialTypes.join(', ')}  purposes: ${r.purposes.join(', ')}`,
    ),
  ];
  print(out, lines.join('\n'), { ...presentVersion(version), list: encodeTrustList(list) });
}

/** The full list of one version (default the latest), as its JSON payload. */
export async function trustShow(runtime: Runtime, out: Output, sequence: number | undefined): Promise<void> {
  const version =
    sequence === undefined
      ? await runtime.stores.trustLists.latestVersion()
      : await runtime.stores.trustLists.getVersion(sequence);
  if (!version) throw new CliError('INPUT_INVALID', 'no such trust list version');
  const payload = encodeTrustList(readUnverifiedTrustList(version.jws).list);
  print(out, JSON.stringify(payload, null, 2), payload);
}

/**
 * Lists an issuer (or updates one). Keys come from files: a JWK, a JWKS, or PEM certificates
 * (each certificate one key, with its kid the RFC 7638 thumbprint of its key). `self` lists this
 * installation with every key of its issuer key custody.
 */
export async function trustAddIssuer(
  runtime: Runtime,
  out: Output,
  options: {
    self: boolean;
    id?: string;
    name?: string;
    keyFiles: string[];
    types: string[];
    validFrom?: number;
    validUntil?: number;
  },
): Promise<void> {
  if (options.types.length === 0) throw new CliError('USAGE', '--types names at least one credential type');
  const ctx = await context(runtime);
  let id: string;
  let keys: unknown[];
  if (options.self) {
    if (options.id !== undefined || options.keyFiles.length > 0) {
      throw new CliError(
        'USAGE',
        '--self takes neither --id nor --key: it lists this installation and its keys',
      );
    }
    id = runtime.issuance.issuer;
    keys = (await runtime.stores.keys.list()).map((key) => ({ ...toPublicJwk(key.publicJwk), kid: key.kid }));
  } else {
    if (options.id === undefined || options.keyFiles.length === 0) {
      throw new CliError('USAGE', 'give --id and at least one --key (or --self)');
    }
    id = options.id;
    keys = options.keyFiles.flatMap((text) => readKeys(text, runtime));
  }
  const name =
    options.name ??
    (options.self
      ? ((await runtime.stores.settings.get(TRUST_LIST_SETTINGS.jurisdictionName)) ?? runtime.issuance.issuer)
      : undefined);
  if (!name) throw new CliError('USAGE', '--name is required');
  const result = await addTrustedIssuer(ctx, {
    id,
    name,
    keys,
    credentialTypes: options.types,
    ...(options.validFrom === undefined ? {} : { validFrom: Math.floor(options.validFrom) }),
    ...(options.validUntil === undefined ? {} : { validUntil: Math.floor(options.validUntil) }),
  });
  print(
    out,
    `${result.created ? 'listed' : 'updated'} ${result.issuer.id} (${result.issuer.keys.length} key(s)); ${versionLine(result.version)}`,
    { created: result.created, issuer: result.issuer.id, version: presentVersion(result.version) },
  );
}

export async function trustWithdrawIssuer(
  runtime: Runtime,
  out: Output,
  id: string,
  at: number | undefined,
): Promise<void> {
  const result = await withdrawTrustedIssuer(await context(runtime), id, at === undefined ? {} : { at });
  print(out, `withdrew ${id} from ${iso(result.issuer.statusStartingTime)}; ${versionLine(result.version)}`, {
    issuer: id,
    withdrawnFrom: iso(result.issuer.statusStartingTime),
    version: presentVersion(result.version),
  });
}

export async function trustRecognise(
  runtime: Runtime,
  out: Output,
  jurisdiction: string,
  options: { name: string; listUrl: string; keyFiles: string[]; types: string[]; purposes: string[] },
): Promise<void> {
  if (options.keyFiles.length === 0) throw new CliError('USAGE', "give the operator's key with --key");
  const result = await recogniseJurisdiction(await context(runtime), {
    jurisdiction,
    operatorName: options.name,
    listUri: options.listUrl,
    operatorKeys: options.keyFiles.flatMap((text) => readKeys(text, runtime)),
    credentialTypes: options.types,
    purposes: options.purposes,
  });
  print(
    out,
    `${result.created ? 'recognised' : 'updated the recognition of'} ${jurisdiction} for ${options.types.join(', ')} (purposes: ${options.purposes.join(', ')}); ${versionLine(result.version)}`,
    { created: result.created, jurisdiction, version: presentVersion(result.version) },
  );
}

export async function trustUnrecognise(runtime: Runtime, out: Output, jurisdiction: string): Promise<void> {
  const { version } = await unrecogniseJurisdiction(await context(runtime), jurisdiction);
  print(out, `no longer recognises ${jurisdiction}; ${versionLine(version)}`, {
    jurisdiction,
    version: presentVersion(version),
  });
}

/** `--prepare` announces the next key; without it, the next (or a new) key starts signing. */
export async function trustRotateKey(
  runtime: Runtime,
  out: Output,
  options: { prepare: boolean; alg?: SignatureAlg },
): Promise<void> {
  const ctx = await context(runtime);
  const alg = options.alg === undefined ? {} : { alg: options.alg };
  if (options.prepare) {
    const { prepared, version } = await prepareTrustListKey(ctx, alg);
    print(
      out,
      `announced the next trust list key ${prepared.kid} (${prepared.alg}); ${versionLine(version)}\nlet other jurisdictions add it to their recognition, then run \`trieste trust rotate-key\``,
      { prepared: presentKey(prepared), version: presentVersion(version) },
    );
    return;
  }
  const { activated, retired, version } = await rotateTrustListKey(ctx, alg);
  print(
    out,
    [
      `the trust list is now signed by ${activated.kid} (${activated.alg}); ${versionLine(version)}`,
      ...retired.map((key) => `retired ${key.kid}`),
    ].join('\n'),
    { activated: presentKey(activated), retired: retired.map(presentKey), version: presentVersion(version) },
  );
}

/** Writes the latest list (publishing first if none is, or it is due) to a new file. */
export async function trustExport(runtime: Runtime, out: Output, path: string): Promise<void> {
  await refreshTrustList(await context(runtime));
  const version = (await runtime.stores.trustLists.latestVersion())!;
  try {
    writeFileSync(path, `${version.jws}\n`, { flag: 'wx' });
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', 'cannot create the export file (does it exist already?)', {
      cause,
    });
  }
  print(out, `wrote trust list version ${version.sequenceNumber} to ${path}`, {
    path,
    ...presentVersion(version),
  });
}

/**
 * Verifies a trust list file against operator keys: those in `keyFile`, or this installation's
 * (every one it ever had, for older exports). Exit status 2 when it does not verify.
 */
export async function trustVerify(
  runtime: Runtime | undefined,
  out: Output,
  text: string,
  options: { keyText?: string; at?: number },
): Promise<void> {
  let keys: Array<PublicJwk & { kid?: string }>;
  if (options.keyText !== undefined) {
    keys = readKeys(options.keyText, runtime).map((key, i) => {
      const parsed = parseTrustListKey(key, `operator key ${i}`);
      return { ...parsed.jwk, kid: parsed.kid };
    });
  } else if (runtime) {
    keys = (await runtime.stores.trustLists.keys()).map((key) => ({ ...key.publicJwk, kid: key.kid }));
  } else {
    throw new CliError('USAGE', 'give the operator key with --key');
  }
  const { list, signedBy } = await verifyTrustList(text.trim(), {
    keys,
    crypto: runtime?.crypto ?? nodeCrypto(),
  });
  const at = Math.floor(options.at ?? runtime?.clock.now() ?? Date.now() / 1000);
  const freshness = at <= list.nextUpdate ? 'fresh' : 'past its next update';
  print(
    out,
    `valid: ${list.operator.jurisdiction} trust list version ${list.sequenceNumber}, signed by ${signedBy}, ${freshness} (next update ${iso(list.nextUpdate)}); ${list.issuers.length} issuer(s), ${list.recognitions.length} recognition(s)`,
    { valid: true, signedBy, fresh: at <= list.nextUpdate, ...summary(list) },
  );
}

function summary(list: TrustList) {
  return {
    jurisdiction: list.operator.jurisdiction,
    sequenceNumber: list.sequenceNumber,
    issuedAt: iso(list.issuedAt),
    nextUpdate: iso(list.nextUpdate),
    issuers: list.issuers.map((issuer) => ({ id: issuer.id, status: issuer.status })),
    recognitions: list.recognitions.map((r) => r.jurisdiction),
  };
}

const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/**
 * Keys from a file's text: a JWK, a JWKS (`{ "keys": [...] }`) or PEM certificates. A JWK
 * without `kid` gets its RFC 7638 thumbprint; so does each certificate's key.
 */
function readKeys(text: string, runtime: Runtime | undefined): Array<Record<string, unknown>> {
  const hasher = runtime?.crypto ?? nodeCrypto();
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    return [...text.matchAll(PEM)].map((match, i) => {
      const x5c = [base64Encode(base64Decode(match[1]!.replace(/\s+/g, ''), `certificate ${i}`))];
      const key = parseTrustListKey({ kid: 'certificate', x5c }, `certificate ${i}`);
      return { kid: jwkThumbprint(key.jwk, hasher), x5c };
    });
  }
  const value = parseJsonInput(text, 'key file') as { keys?: unknown };
  const list = Array.isArray(value?.keys) ? value.keys : [value];
  return list.map((entry, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new CliError('INPUT_INVALID', `key ${i} is not a JWK object`);
    }
    const jwk = entry as Record<string, unknown>;
    if (typeof jwk['kid'] === 'string' || 'd' in jwk || jwk['kty'] === undefined) return jwk;
    const parsed = parseTrustListKey({ ...jwk, kid: 'k' }, `key ${i}`);
    return { ...jwk, kid: jwkThumbprint(parsed.jwk, hasher) };
  });
}

/** What `buildProgram` lends the trust commands: its output, runtime helpers and stdin. */
export interface TrustCommandHelpers {
  out: () => Output;
  withRuntime: (work: (runtime: Runtime) => Promise<void>) => Promise<void>;
  withOptionalRuntime: (
    standalone: boolean,
    work: (runtime: Runtime | undefined) => Promise<void>,
  ) => Promise<void>;
  readFile: (path: string, what: string) => string;
  parseInstant: (text: string) => number;
  splitList: (text: string | undefined) => string[];
}

/** Registers `trieste trust …` on the program. */
export function registerTrustCommands(program: import('commander').Command, h: TrustCommandHelpers): void {
  const collect = (value: string, previous: string[]) => [...previous, value];
  const instant = (text: string | undefined) => (text === undefined ? undefined : h.parseInstant(text));
  const trust = program
    .command('trust')
    .description(
      "the trust list this installation operates (ETSI TS 119 602 profile) and other jurisdictions' lists",
    );
  trust
    .command('init')
    .description('set the jurisdiction (ISO 3166-1 alpha-2) whose trust list this installation publishes')
    .requiredOption('--jurisdiction <code>', 'e.g. XA')
    .option('--name <text>', "the jurisdiction's name")
    .option('--operator <text>', "the trust list operator's name")
    .action((opts) =>
      h.withRuntime((r) =>
        trustInit(r, h.out(), { jurisdiction: opts.jurisdiction, name: opts.name, operator: opts.operator }),
      ),
    );
  trust
    .command('list')
    .description('summary of the published list: version, issuers and their status, recognitions')
    .action(() => h.withRuntime((r) => trustList(r, h.out())));
  trust
    .command('show')
    .description('the full list of one version (default the latest), as JSON')
    .argument('[sequence]')
    .action((sequence) =>
      h.withRuntime((r) =>
        trustShow(r, h.out(), sequence === undefined ? undefined : parseSequence(sequence)),
      ),
    );
  trust
    .command('add-issuer')
    .description('list an issuer (or update it): a new version is published')
    .option('--self', 'this installation, with every key of its issuer key custody')
    .option('--id <iss>', 'the issuer identifier (the `iss` of its credentials)')
    .option('--name <text>', "the issuer's name")
    .option('--key <file>', 'a JWK, JWKS or PEM certificate file; repeat for several', collect, [])
    .requiredOption('--types <list>', 'comma-separated credential types: vct values, doctypes, dcc, claim169')
    .option('--valid-from <time>', 'ISO 8601 time')
    .option('--valid-until <time>', 'ISO 8601 time')
    .action((opts) =>
      h.withRuntime((r) =>
        trustAddIssuer(r, h.out(), {
          self: opts.self === true,
          id: opts.id,
          name: opts.name,
          keyFiles: (opts.key as string[]).map((file) => h.readFile(file, 'key')),
          types: h.splitList(opts.types),
          validFrom: instant(opts.validFrom),
          validUntil: instant(opts.validUntil),
        }),
      ),
    );
  trust
    .command('withdraw-issuer')
    .description('withdraw an issuer from now (or --at): a new version is published')
    .argument('<iss>')
    .option('--at <time>', 'ISO 8601 time the withdrawal takes effect (a past compromise, a planned end)')
    .action((iss, opts) => h.withRuntime((r) => trustWithdrawIssuer(r, h.out(), iss, instant(opts.at))));
  trust
    .command('recognise')
    .description("recognise another jurisdiction's list operator, for some credential types and purposes")
    .argument('<jurisdiction>')
    .requiredOption('--name <text>', "the other operator's name")
    .requiredOption('--list-url <url>', 'where that jurisdiction publishes its list')
    .option(
      '--key <file>',
      "that operator's public key (JWK or JWKS file), checked out of band; repeat",
      collect,
      [],
    )
    .requiredOption('--types <list>', 'comma-separated credential types accepted from it')
    .requiredOption('--purposes <list>', 'comma-separated purposes they are accepted for')
    .action((jurisdiction, opts) =>
      h.withRuntime((r) =>
        trustRecognise(r, h.out(), jurisdiction, {
          name: opts.name,
          listUrl: opts.listUrl,
          keyFiles: (opts.key as string[]).map((file) => h.readFile(file, 'key')),
          types: h.splitList(opts.types),
          purposes: h.splitList(opts.purposes),
        }),
      ),
    );
  trust
    .command('unrecognise')
    .description('end the recognition of another jurisdiction')
    .argument('<jurisdiction>')
    .action((jurisdiction) => h.withRuntime((r) => trustUnrecognise(r, h.out(), jurisdiction)));
  trust
    .command('rotate-key')
    .description('sign the list with the next trust list key; --prepare announces it first')
    .option('--prepare', 'create the next key and announce it, still signing with the current one')
    .option('--alg <alg>', 'ES256 or EdDSA (a new key only)')
    .action((opts) =>
      h.withRuntime((r) =>
        trustRotateKey(r, h.out(), { prepare: opts.prepare === true, alg: parseKeyAlg(opts.alg) }),
      ),
    );
  trust
    .command('export')
    .description('write the latest signed list to a new file (publishing one first if due)')
    .argument('<file>')
    .action((file) => h.withRuntime((r) => trustExport(r, h.out(), file)));
  trust
    .command('verify')
    .description('verify a trust list file; exit status 0 when it verifies, 2 when not')
    .argument('<file>', 'the list, or - for stdin')
    .option('--key <file>', "the operator's key (JWK or JWKS); default: this installation's trust list keys")
    .option('--at <time>', 'judge freshness as of this ISO 8601 time')
    .action((file, opts) =>
      h.withOptionalRuntime(opts.key !== undefined, (r) =>
        trustVerify(r, h.out(), h.readFile(file, 'trust list'), {
          ...(opts.key === undefined ? {} : { keyText: h.readFile(opts.key, 'key') }),
          ...(opts.at === undefined ? {} : { at: h.parseInstant(opts.at) }),
        }),
      ),
    );
}

function parseSequence(text: string): number {
  if (!/^[1-9]\d{0,14}$/.test(text))
    throw new CliError('USAGE', 'a sequence number is a positive whole number');
  return Number(text);
}

function parseKeyAlg(value: string | undefined): SignatureAlg | undefined {
  if (value === undefined) return undefined;
  if (value === 'ES256' || value === 'EdDSA') return value;
  throw new CliError('USAGE', '--alg must be ES256 or EdDSA');
}
