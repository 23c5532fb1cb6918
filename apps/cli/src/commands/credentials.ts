import { nodeCrypto, nodeSigner } from '@trieste/adapters';
import {
  decodeSdJwt,
  issueCredential,
  type JsonObject,
  type PublicJwk,
  parsePrivateJwk,
  parsePublicJwk,
  presentSdJwtVc,
  TriesteError,
  toPublicJwk,
  verifySdJwtVc,
} from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, parseJsonInput, print, toPointer } from '../io.js';
import type { Runtime } from '../runtime.js';
import { cliIssuerKeys, cliStatusResolver } from './resolvers.js';

export interface IssueOptions {
  vct: string;
  claims: string;
  sd?: string[];
  sdAll?: boolean;
  holderKey?: string;
  expiresIn?: number;
}

export async function credentialsIssue(runtime: Runtime, out: Output, options: IssueOptions): Promise<void> {
  const claims = parseJsonInput(options.claims, 'claims');
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new CliError('INPUT_INVALID', 'claims must be a JSON object');
  }
  if (options.sd && options.sdAll) throw new CliError('USAGE', 'give --sd or --sd-all, not both');
  const holderKey = options.holderKey === undefined ? undefined : readPublicKey(options.holderKey);
  const issued = await issueCredential(
    {
      vct: options.vct,
      claims: claims as JsonObject,
      disclosable: options.sd ? options.sd.map(toPointer) : options.sdAll ? 'all' : [],
      holderKey,
      expiresInSeconds: options.expiresIn,
    },
    runtime.issuance,
  );
  const { record } = issued;
  if (!out.json) {
    out.stderr(
      `issued ${record.vct} credential ${record.id} — status list ${record.statusListId} index ${record.statusIndex}`,
    );
  }
  print(out, issued.credential, {
    credential: issued.credential,
    id: record.id,
    vct: record.vct,
    issuerKid: record.issuerKid,
    status: { list: record.statusListId, idx: record.statusIndex, uri: issued.statusListUri },
    issuedAt: record.issuedAt,
    expiresAt: record.expiresAt,
  });
}

function readPublicKey(text: string): PublicJwk {
  const value = parseJsonInput(text, 'holder key');
  // A private key file is accepted: only its public part goes into the credential.
  if (typeof value === 'object' && value !== null && 'd' in value) return toPublicJwk(parsePrivateJwk(value));
  return parsePublicJwk(value, 'holder key');
}

export async function credentialsPresent(
  out: Output,
  sdJwt: string,
  options: { disclose: string[]; holderKey: string; nonce: string; aud: string },
): Promise<void> {
  const crypto = nodeCrypto();
  const value = parseJsonInput(options.holderKey, 'holder key');
  const holder = nodeSigner(parsePrivateJwk(value, 'holder key'));
  const presentation = await presentSdJwtVc(
    sdJwt,
    { disclose: options.disclose.map(toPointer), nonce: options.nonce, aud: options.aud },
    { holder, crypto, clock: { now: () => Date.now() / 1000 } },
  );
  const disclosed = decodeSdJwt(presentation).disclosures.length;
  print(out, presentation, { presentation, disclosures: disclosed });
}

export interface VerifyOptions {
  nonce?: string;
  aud?: string;
  issuerKeys?: PublicJwk[];
  statusListToken?: string;
  at?: number;
}

export interface VerifyReport {
  valid: boolean;
  code: string | null;
  message?: string;
  issuer?: string;
  vct?: string;
  claims?: JsonObject;
  status?: string;
  keyBound?: boolean;
}

const STATUS_NAMES: Record<number, string> = { 0: 'VALID', 1: 'INVALID', 2: 'SUSPENDED' };

export async function verifyCommand(
  runtime: Runtime | undefined,
  sdJwt: string,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const crypto = runtime?.crypto ?? nodeCrypto();
  const issuerKeys = cliIssuerKeys(runtime, options.issuerKeys, crypto);
  const clock = { now: () => options.at ?? Date.now() / 1000 };
  try {
    const result = await verifySdJwtVc(
      sdJwt,
      { nonce: options.nonce, aud: options.aud, now: options.at },
      {
        crypto,
        issuerKeys,
        clock,
        status: cliStatusResolver(runtime, issuerKeys, crypto, options.statusListToken),
      },
    );
    return {
      valid: true,
      code: null,
      issuer: result.issuer,
      vct: result.vct,
      claims: result.claims,
      status: result.status
        ? (STATUS_NAMES[result.status.value] ?? `0x${result.status.value.toString(16)}`)
        : 'NONE',
      keyBound: result.keyBound,
    };
  } catch (error) {
    if (error instanceof TriesteError) {
      const status =
        error.code === 'STATUS_REVOKED'
          ? 'INVALID'
          : error.code === 'STATUS_SUSPENDED'
            ? 'SUSPENDED'
            : error.code === 'STATUS_UNAVAILABLE'
              ? 'UNAVAILABLE'
              : undefined;
      return { valid: false, code: error.code, message: error.message, status };
    }
    throw error;
  }
}

/** Prints a verification report; returns the exit status (0 valid, 2 refused). */
export async function credentialsVerify(
  runtime: Runtime | undefined,
  out: Output,
  sdJwt: string,
  options: VerifyOptions,
): Promise<number> {
  const report = await verifyCommand(runtime, sdJwt, options);
  if (report.valid) {
    const human = [
      'VALID',
      `  issuer:  ${report.issuer}`,
      `  type:    ${report.vct}`,
      `  status:  ${report.status}`,
      `  holder:  ${report.keyBound ? 'key binding verified' : 'no key binding checked'}`,
      `  claims:  ${JSON.stringify(report.claims, null, 2).replace(/\n/g, '\n  ')}`,
    ].join('\n');
    print(out, human, report);
    return 0;
  }
  if (out.json) print(out, '', report);
  out.stderr(`trieste: ${report.code}: ${report.message}`);
  return 2;
}
