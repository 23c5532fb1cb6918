import { readFileSync, writeFileSync } from 'node:fs';
import { isAdapterError, nodeCrypto } from '@trieste/adapters';
import { isTriesteError, type PublicJwk, parsePublicJwk } from '@trieste/core';
import { Command, CommanderError, Option } from 'commander';
import { apiKeysCreate, apiKeysList, apiKeysRevoke, parseRole } from './commands/apikeys.js';
import { credentialsIssue, credentialsPresent, credentialsVerify } from './commands/credentials.js';
import { demoCommand } from './commands/demo.js';
import { initCommand } from './commands/init.js';
import { keysActivate, keysCreate, keysHolder, keysList, keysRotate, parseAlg } from './commands/keys.js';
import {
  logAppend,
  logCheckpoint,
  logCosign,
  logProof,
  logServeDir,
  logVerifyConsistency,
  logVerifyInclusion,
  logVkey,
  logWitnessAdd,
  logWitnessList,
} from './commands/log.js';
import { registerRegistryCommands } from './commands/registry.js';
import {
  parseIndex,
  parseStatusName,
  statusDecode,
  statusGet,
  statusLists,
  statusPublish,
  statusSet,
  statusToken,
} from './commands/status.js';
import { registerTrustCommands } from './commands/trust.js';
import { verifyQrCommand } from './commands/verify-qr.js';
import { type CliConfig, readConfig } from './config.js';
import { CliError } from './errors.js';
import {
  type Output,
  parseDuration,
  parseInstant,
  parseJsonInput,
  readFileArgument,
  readValueArgument,
  splitList,
} from './io.js';
import { type EmbeddedDatabaseOptions, openRuntime, type Runtime } from './runtime.js';

export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
}

/** Runs the `trieste` command; returns the exit status (0 ok, 2 error). Never calls process.exit. */
export async function runCli(argv: string[], io: CliEnvironment): Promise<number> {
  let status = 0;
  const program = buildProgram(io, (code) => {
    status = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return 0;
      // An argument that starts with `-` (an id of an older record) reads as an option unless it
      // follows `--`: say so.
      const hint =
        error.code === 'commander.unknownOption'
          ? " (an argument that starts with '-' goes after '--', e.g. trieste registry show -- -AbC…)"
          : '';
      io.stderr(`trieste: USAGE: ${error.message.replace(/^error: /, '')}${hint}`);
      return 2;
    }
    io.stderr(`trieste: ${describeError(error)}`);
    return 2;
  }
  return status;
}

/**
 * One line, the code first. Only our own error classes' messages are shown: they are written to
 * hold no input, token, claim value or key. Anything else (a driver's message may quote a row)
 * is reported as INTERNAL without its message.
 */
export function describeError(error: unknown): string {
  if (isTriesteError(error) || error instanceof CliError || isAdapterError(error)) {
    return `${error.code}: ${error.message}`;
  }
  return 'INTERNAL: unexpected failure';
}

function buildProgram(io: CliEnvironment, setStatus: (code: number) => void): Command {
  const program = new Command('trieste')
    .description('Trieste: SD-JWT VC credentials, Token Status Lists and issuer keys')
    .option('--json', 'machine-readable output on stdout')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: () => {} })
    .showHelpAfterError(false);

  const out = (): Output => ({ json: program.opts()['json'] === true, stdout: io.stdout, stderr: io.stderr });
  const config = (): CliConfig => readConfig(io.env);
  // Offline verification needs no installation when every key is given on the command line.
  const withOptionalRuntime = async (
    standalone: boolean,
    work: (runtime: Runtime | undefined) => Promise<void>,
  ) => {
    let runtime: Runtime | undefined;
    try {
      runtime = await openRuntime(config());
    } catch (error) {
      if (!(standalone && error instanceof CliError && error.code === 'NOT_INITIALISED')) throw error;
    }
    try {
      await work(runtime);
    } finally {
      await runtime?.close();
    }
  };
  const withRuntime = async (
    work: (runtime: Runtime) => Promise<void>,
    create = false,
    embedded: EmbeddedDatabaseOptions = {},
  ) => {
    const runtime = await openRuntime(config(), { create, ...embedded });
    try {
      await work(runtime);
    } finally {
      await runtime.close();
    }
  };

  program
    .command('init')
    .description('create the data directory, the master key and a default issuer key')
    .addOption(new Option('--alg <alg>', 'algorithm of the first issuer key').choices(['ES256', 'EdDSA']))
    .action((opts) =>
      withRuntime(async (runtime) => void (await initCommand(runtime, out(), parseAlg(opts.alg))), true),
    );

  program
    .command('demo')
    .description('issue, present, verify, suspend and revoke a credential end to end')
    .action(() => withRuntime((runtime) => demoCommand(runtime, out()), true));

  const apikeys = program
    .command('apikeys')
    .description("the server's API keys (stored hashed; the key is shown once, on creation)");
  apikeys
    .command('create')
    .description('create an API key; prints it once')
    .requiredOption('--role <role>', 'admin, registrar or verifier')
    .option('--label <text>', 'a label for operators, e.g. "registrar desk 3"')
    .action((opts) => withRuntime((r) => apiKeysCreate(r, out(), parseRole(opts.role), opts.label)));
  apikeys
    .command('list')
    .description('list API keys (ids, roles, labels, created, revoked)')
    .action(() => withRuntime((r) => apiKeysList(r, out())));
  apikeys
    .command('revoke')
    .description('revoke an API key: refused from its next request on')
    .argument('<id>', 'the key id (the part after `trieste.`)')
    .action((id) => withRuntime((r) => apiKeysRevoke(r, out(), id)));

  const keys = program.command('keys').description('issuer keys (private keys stay encrypted in custody)');
  keys
    .command('list')
    .description('list issuer keys')
    .action(() => withRuntime((r) => keysList(r, out())));
  keys
    .command('create')
    .description('create an issuer key: active if none is, else pending until `keys activate`')
    .addOption(new Option('--alg <alg>').choices(['ES256', 'EdDSA']).default('ES256'))
    .action((opts) => withRuntime((r) => keysCreate(r, out(), parseAlg(opts.alg))));
  keys
    .command('activate')
    .description('make a pending key the active one; the previous active key is retired')
    .argument('<kid>')
    .action((kid) => withRuntime((r) => keysActivate(r, out(), kid)));
  keys
    .command('rotate')
    .description('create a new active key and retire the current one')
    .addOption(new Option('--alg <alg>').choices(['ES256', 'EdDSA']))
    .action((opts) => withRuntime((r) => keysRotate(r, out(), parseAlg(opts.alg))));
  keys
    .command('holder')
    .description('make a holder key pair for trying the CLI (private JWK to a 0600 file)')
    .requiredOption('--out <file>', 'where to write the private JWK')
    .addOption(new Option('--alg <alg>').choices(['ES256', 'EdDSA']).default('ES256'))
    .action((opts) => keysHolder(out(), parseAlg(opts.alg), opts.out, nodeCrypto().sha256));

  program
    .command('issue')
    .description('issue an SD-JWT VC; prints it')
    .requiredOption('--vct <type>', 'credential type')
    .requiredOption('--claims <file>', 'JSON object of claims (a file, or - for stdin)')
    .option(
      '--sd <pointers>',
      'comma-separated claims to make selectively disclosable (JSON pointers or dotted paths)',
    )
    .option('--sd-all', 'make every claim, member and array element selectively disclosable')
    .option('--holder-key <file>', 'holder public JWK to bind the credential to (cnf)')
    .option('--expires <duration>', 'validity: 90s, 15m, 12h, 30d, 2w, 1y')
    .action((opts) =>
      withRuntime((r) =>
        credentialsIssue(r, out(), {
          vct: opts.vct,
          claims: readFileArgument(opts.claims, io.readStdin, 'claims'),
          sd: opts.sd === undefined ? undefined : splitList(opts.sd),
          sdAll: opts.sdAll === true,
          holderKey:
            opts.holderKey === undefined
              ? undefined
              : readFileArgument(opts.holderKey, io.readStdin, 'holder key'),
          expiresIn: opts.expires === undefined ? undefined : parseDuration(opts.expires),
        }),
      ),
    );

  program
    .command('present')
    .description('make a presentation: chosen disclosures and a key-binding JWT')
    .argument('<sd-jwt>', 'the credential, or - for stdin')
    .requiredOption(
      '--disclose <claims>',
      'comma-separated claims to reveal (names, dotted paths or JSON pointers)',
    )
    .requiredOption('--holder-key <file>', 'holder private JWK')
    .requiredOption('--nonce <nonce>', "the verifier's nonce")
    .requiredOption('--aud <aud>', "the verifier's identifier")
    .action((sdJwt, opts) =>
      credentialsPresent(out(), readValueArgument(sdJwt, io.readStdin), {
        disclose: splitList(opts.disclose),
        holderKey: readFileArgument(opts.holderKey, io.readStdin, 'holder key'),
        nonce: opts.nonce,
        aud: opts.aud,
      }),
    );

  program
    .command('verify')
    .description('verify an SD-JWT VC or presentation; exit status 0 when valid, 2 when not')
    .argument('<sd-jwt>', 'the presentation or credential, or - for stdin')
    .option('--nonce <nonce>', 'expected KB-JWT nonce (requires key binding)')
    .option('--aud <aud>', 'expected KB-JWT audience (requires key binding)')
    .option('--issuer-key <file>', "trusted issuer JWK or JWKS file (default: this installation's keys)")
    .option('--status-list <file>', 'status list token to use for the status check (offline)')
    .option('--at <time>', 'verify as of this ISO 8601 time')
    .action(async (sdJwt, opts) => {
      const options = {
        nonce: opts.nonce,
        aud: opts.aud,
        at: opts.at === undefined ? undefined : parseInstant(opts.at),
        issuerKeys:
          opts.issuerKey === undefined
            ? undefined
            : readKeys(readFileArgument(opts.issuerKey, io.readStdin, 'issuer key')),
        statusListToken:
          opts.statusList === undefined
            ? undefined
            : readFileArgument(opts.statusList, io.readStdin, 'status list').trim(),
      };
      const cfg = config();
      let runtime: Runtime | undefined;
      try {
        runtime = await openRuntime(cfg);
      } catch (error) {
        // Verifying with a given key needs no installation of our own.
        if (!(error instanceof CliError && error.code === 'NOT_INITIALISED' && options.issuerKeys))
          throw error;
      }
      try {
        setStatus(await credentialsVerify(runtime, out(), readValueArgument(sdJwt, io.readStdin), options));
      } finally {
        await runtime?.close();
      }
    });

  program
    .command('verify-qr')
    .description(
      'verify a QR code offline (EU DCC "HC1:", Claim 169, SD-JWT VC); exit status 0 when valid, 2 when not',
    )
    .argument('<input>', 'a PNG or JPEG image, the QR text, or - for the text on stdin')
    .requiredOption(
      '--trust <list-file|dir>',
      'a Trieste trust list file, or a directory of trust lists (*.jwt), pinned operator keys (*.operator.jwk) and PEM/DER certificates and JWK files taken as trusted',
    )
    .option(
      '--operator-key <jwk-file>',
      "a trust list operator's key, pinned (JWK, JWKS or GET /trust/operator-keys); repeat",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--unpinned', 'accept a trust list no pinned operator key vouches for (with a warning)')
    .option('--purpose <purpose>', "why you verify: needed for another jurisdiction's issuer")
    .option('--grace <duration>', 'how long a trust list is used after its next update (default 1d)')
    .option('--at <time>', 'verify as of this ISO 8601 time')
    .action(async (input, opts) =>
      setStatus(
        await verifyQrCommand(out(), input, {
          trust: opts.trust,
          operatorKeyFiles: opts.operatorKey,
          unpinned: opts.unpinned === true,
          purpose: opts.purpose,
          graceSeconds: opts.grace === undefined ? undefined : parseDuration(opts.grace),
          at: opts.at === undefined ? undefined : parseInstant(opts.at),
          readStdin: io.readStdin,
        }),
      ),
    );

  const status = program.command('status').description('Token Status Lists');
  status
    .command('set')
    .description(
      'set a credential status: valid, invalid (revoked, final) or suspended; publishes a new list version',
    )
    .argument('<list-id>')
    .argument('<index>')
    .argument('<status>', 'valid | invalid | suspended')
    .action((listId, index, value) =>
      withRuntime((r) => statusSet(r, out(), listId, parseIndex(index), parseStatusName(value))),
    );
  status
    .command('get')
    .argument('<list-id>')
    .argument('<index>')
    .action((listId, index) => withRuntime((r) => statusGet(r, out(), listId, parseIndex(index))));
  status
    .command('lists')
    .description('list the status lists')
    .action(() => withRuntime((r) => statusLists(r, out())));
  status
    .command('publish')
    .description('sign and store a fresh version of one list (or all)')
    .argument('[list-id]')
    .action((listId) => withRuntime((r) => statusPublish(r, out(), listId)));
  status
    .command('token')
    .description('print the latest signed status list token (serve it, or verify offline with it)')
    .argument('<list-id>')
    .action((listId) => withRuntime((r) => statusToken(r, out(), listId)));
  status
    .command('decode')
    .description('decode any status list: a statuslist+jwt or its JSON (signature not checked)')
    .argument('<status-list>', 'token, JSON, or - for stdin')
    .option('--index <i>', 'print the status of one entry')
    .action((input, opts) =>
      statusDecode(
        out(),
        readValueArgument(input, io.readStdin),
        opts.index === undefined ? undefined : parseIndex(opts.index),
      ),
    );

  const log = program
    .command('log')
    .description('the transparency log (RFC 9162 Merkle tree, C2SP checkpoints and tiles)');
  log
    .command('append')
    .description('append an operator note (or raw bytes with --raw) and publish a checkpoint')
    .argument('<entry>', 'text, or - for stdin')
    .option('--raw', 'append the bytes exactly as given')
    .action((entry, opts) =>
      withRuntime((r) => {
        const text = entry === '-' ? io.readStdin() : entry;
        return logAppend(r, out(), new TextEncoder().encode(text), opts.raw === true);
      }),
    );
  log
    .command('checkpoint')
    .description('sequence what is queued and print the signed checkpoint (with cosignatures)')
    .action(() => withRuntime((r) => logCheckpoint(r, out())));
  log
    .command('proof')
    .description('write a c2sp.org/tlog-proof for the entry at <index> (stdout, or --out)')
    .argument('<index>')
    .option('--out <file>', 'write the proof to this file')
    .action((index, opts) =>
      withRuntime(async (r) => {
        const proof = await logProof(
          r,
          opts.out === undefined ? out() : { ...out(), stdout: () => {} },
          parseIndex(index),
        );
        if (opts.out !== undefined) {
          writeProofFile(opts.out, proof);
          io.stdout(opts.out);
        }
      }),
    );
  log
    .command('verify-inclusion')
    .description('verify a tlog-proof offline with the log key')
    .argument('<proof-file>', 'the proof, or - for stdin')
    .option('--key <vkey>', "the log's verifier key (default: this installation's)")
    .option('--entry <file>', "the entry's bytes (default: the entry carried in the proof)")
    .option('--witness <vkey>', 'a witness verifier key; repeat for several', collect, [])
    .option('--quorum <k>', 'how many of the witnesses must have cosigned (default: all)')
    .action((file, opts) =>
      withOptionalRuntime(opts.key !== undefined, (r) =>
        logVerifyInclusion(
          r,
          out(),
          readFileArgument(file, io.readStdin, 'proof'),
          opts.entry === undefined ? undefined : readBytes(opts.entry),
          {
            key: opts.key,
            witnesses: opts.witness,
            quorum: opts.quorum === undefined ? undefined : parseIndex(opts.quorum),
          },
        ),
      ),
    );
  log
    .command('verify-consistency')
    .description('verify that a newer checkpoint extends an older one')
    .argument('<old-checkpoint>', 'file')
    .argument('<new-checkpoint>', 'file')
    .option(
      '--proof [file]',
      'a consistency proof file (base64 hashes, one per line) to check; without a file, print the proof built from this log',
    )
    .option('--key <vkey>', "the log's verifier key (default: this installation's)")
    .action((older, newer, opts) => {
      const proofFile = typeof opts.proof === 'string' ? opts.proof : undefined;
      return withOptionalRuntime(opts.key !== undefined && proofFile !== undefined, (r) =>
        logVerifyConsistency(
          r,
          out(),
          readFileArgument(older, io.readStdin, 'checkpoint'),
          readFileArgument(newer, io.readStdin, 'checkpoint'),
          proofFile === undefined ? undefined : readFileArgument(proofFile, io.readStdin, 'proof'),
          { key: opts.key, showProof: opts.proof === true },
        ),
      );
    });
  log
    .command('serve-dir')
    .description('write the checkpoint, hash tiles and entry bundles as static files (c2sp.org/tlog-tiles)')
    .argument('<dir>')
    .action((dir) => withRuntime((r) => logServeDir(r, out(), dir)));
  log
    .command('vkey')
    .description("print the log's verifier key (c2sp.org/signed-note)")
    .action(() => withRuntime((r) => logVkey(r, out())));
  const witness = log.command('witness').description('witnesses whose cosignatures the log accepts');
  witness
    .command('add')
    .argument('<vkey>', "the witness's cosignature/v1 verifier key")
    .action((vkey) => withRuntime((r) => logWitnessAdd(r, out(), vkey)));
  witness.command('list').action(() => withRuntime((r) => logWitnessList(r, out())));
  log
    .command('cosign')
    .description("add a configured witness's cosignature line to the latest checkpoint")
    .argument('<line>', 'the cosignature line, or - for stdin')
    .action((line) => withRuntime((r) => logCosign(r, out(), line === '-' ? io.readStdin() : line)));

  registerRegistryCommands(program, {
    out,
    withRuntime,
    readFile: (path, what) => readFileArgument(path, io.readStdin, what),
    stderrIsTty: () => process.stderr.isTTY === true,
  });

  registerTrustCommands(program, {
    out,
    withRuntime,
    withOptionalRuntime,
    readFile: (path, what) => readFileArgument(path, io.readStdin, what),
    parseInstant,
    splitList,
  });

  return program;
}

function writeProofFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', 'cannot create the proof file (does it exist already?)', {
      cause,
    });
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', 'cannot read the entry file', { cause });
  }
}

function readKeys(text: string): PublicJwk[] {
  const value = parseJsonInput(text, 'issuer key') as { keys?: unknown };
  const list = Array.isArray(value?.keys) ? value.keys : [value];
  return list.map((key, i) => {
    const jwk = parsePublicJwk(key, `issuer key ${i}`);
    const kid = (key as { kid?: unknown }).kid;
    return typeof kid === 'string' ? { ...jwk, kid } : jwk;
  });
}

export function readStdinSync(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', 'cannot read standard input', { cause });
  }
}
