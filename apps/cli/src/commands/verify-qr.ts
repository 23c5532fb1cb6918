import { readFileSync, statSync } from 'node:fs';
import { readQrFromImage } from '@trieste/adapters';
import { type QrVerificationResult, verifyQrText } from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, print } from '../io.js';
import { type LoadedTrust, type LoadedTrustList, loadTrust, type TrustVoucher } from './load-trust.js';

/** Largest input file read: a phone photo of a paper ID fits, a disk image does not. */
const MAX_INPUT_BYTES = 20 * 1024 * 1024;

/**
 * The QR text to verify: `-` reads text from stdin; an existing file is read as an image when it
 * is a PNG or JPEG (the QR code is found in it) and as text otherwise; anything else is the text
 * itself. Surrounding white space (a trailing newline) is not part of any QR payload we read.
 */
export function readQrInput(input: string, readStdin: () => string): string {
  if (input === '-') return readStdin().trim();
  let isFile = false;
  try {
    isFile = statSync(input).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) return input.trim();
  let bytes: Uint8Array;
  try {
    if (statSync(input).size > MAX_INPUT_BYTES) {
      throw new CliError('INPUT_INVALID', `input file is larger than ${MAX_INPUT_BYTES} bytes`);
    }
    bytes = new Uint8Array(readFileSync(input));
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw new CliError('INPUT_UNREADABLE', 'cannot read the input file', { cause });
  }
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (isPng || isJpeg) return readQrFromImage(bytes);
  return new TextDecoder().decode(bytes).trim();
}

export interface VerifyQrOptions {
  /** A trust list file, or a directory (trust lists, pinned operator keys, certificates, JWKs). */
  trust: string;
  /** `--operator-key` files: the pinned trust list operator keys. */
  operatorKeyFiles?: readonly string[];
  /** `--unpinned`: accept a trust list no pinned key vouches for (with a warning). */
  unpinned?: boolean;
  /** `--purpose`: required for an issuer of another jurisdiction, recognised for purposes. */
  purpose?: string;
  /** `--grace`: how long past its next update a list is still used (default one day). */
  graceSeconds?: number;
  /** NumericDate; default now. */
  at?: number;
  readStdin: () => string;
}

/** What `--json` prints: the core's result, and which trust list vouched for the signer. */
export type VerifyQrReport = QrVerificationResult & {
  /** Set when the signer's key came from a trust list: which one, which version, how fresh. */
  trustList?: TrustVoucher;
  /** Every trust list read, at the time verified. */
  trustLists?: LoadedTrustList[];
  warnings?: string[];
};

/**
 * `trieste verify-qr`: prints each step with ✓ or ✗ and a summary (or, with --json, the result
 * object) and returns the exit status: 0 valid, 2 not valid — as `trieste verify` does. Usage and
 * read errors are thrown and also end with 2 (runCli).
 */
export async function verifyQrCommand(out: Output, input: string, options: VerifyQrOptions): Promise<number> {
  const now = options.at ?? Date.now() / 1000;
  const trust = await loadTrust({
    trust: options.trust,
    operatorKeyFiles: options.operatorKeyFiles ?? [],
    unpinned: options.unpinned === true,
    ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
    ...(options.graceSeconds === undefined ? {} : { graceSeconds: options.graceSeconds }),
    at: now,
  });
  for (const warning of trust.warnings) out.stderr(`trieste: warning: ${warning}`);
  const text = readQrInput(input, options.readStdin);
  const result = await explainRefusal(text, await verifyQrText(text, trust.material, { now }), trust, now);
  const report: VerifyQrReport = { ...result };
  const voucher = result.valid && result.signer?.label ? trust.vouchers.get(result.signer.label) : undefined;
  if (voucher) report.trustList = voucher;
  if (trust.lists.length > 0) report.trustLists = trust.lists;
  if (trust.warnings.length > 0) report.warnings = trust.warnings;
  print(out, describe(report), report);
  if (!result.valid) {
    const failed = result.steps.at(-1);
    out.stderr(`trieste: ${result.code}: ${failed?.detail ?? 'not valid'}`);
    return 2;
  }
  return 0;
}

/**
 * A code whose signer no trusted key matches (ISSUER_UNKNOWN, or a key limited to other types) is
 * verified once more against the keys the trust lists refuse at that time. If one of those verifies
 * its signature, the key step says why the lists refuse it — withdrawn, outside validity, the list
 * past its grace period, a type or purpose the recognition does not cover — instead of "unknown".
 * The refused keys never make a code valid: only the explanation is taken from this second run.
 */
async function explainRefusal(
  text: string,
  result: QrVerificationResult,
  trust: LoadedTrust,
  now: number,
): Promise<QrVerificationResult> {
  const failed = result.steps.at(-1);
  if (
    result.valid ||
    failed?.step !== 'key' ||
    (result.code !== 'ISSUER_UNKNOWN' && result.code !== 'CREDENTIAL_TYPE_NOT_ALLOWED') ||
    trust.refused.keys.length === 0
  ) {
    return result;
  }
  const shadow = await verifyQrText(text, trust.refused, { now });
  const signed = shadow.steps.find((step) => step.step === 'signature')?.ok === true;
  const refusal = signed && shadow.signer?.label ? trust.refusals.get(shadow.signer.label) : undefined;
  if (!refusal) return result;
  const detail = `${refusal.message} (${refusal.list.jurisdiction} trust list #${refusal.list.sequenceNumber}, ${refusal.list.file})`;
  return {
    ...result,
    code: refusal.code,
    steps: [...result.steps.slice(0, -1), { step: 'key', ok: false, code: refusal.code, detail }],
  };
}

function describe(result: VerifyQrReport): string {
  const width = Math.max(...result.steps.map((step) => step.step.length));
  const lines = result.steps.map((step) => {
    const mark = step.ok ? '✓' : '✗';
    const detail = step.ok ? (step.detail ?? '') : `${step.code}: ${step.detail ?? ''}`;
    return `${mark} ${step.step.padEnd(width)}  ${detail}`.trimEnd();
  });
  if (!result.valid) {
    const failed = result.steps.at(-1)!;
    lines.push(`INVALID ${result.kind}: failed at ${failed.step} (${result.code})`);
  } else {
    const signer = result.signer;
    const by = [
      signer?.kid && `kid ${signer.kid}`,
      signer?.certificateSubject && `certificate ${signer.certificateSubject}`,
      signer?.label && `from ${signer.label}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`VALID ${result.type ?? result.kind}${result.issuer ? ` from ${result.issuer}` : ''}`);
    if (by) lines.push(`  signer:  ${by}`);
    const list = result.trustList;
    if (list) {
      const { list: l, recognisedBy } = list;
      lines.push(
        `  trust:   ${list.issuer.name}, listed by the ${l.jurisdiction} trust list version ${l.sequenceNumber} (${l.file}, ${l.pinned ? 'operator key pinned' : 'NOT pinned'}), issued ${iso(l.issuedAt)}, next update ${iso(l.nextUpdate)}: ${l.freshness}`,
      );
      if (recognisedBy) {
        lines.push(
          `           recognised by the ${recognisedBy.jurisdiction} trust list version ${recognisedBy.sequenceNumber}, next update ${iso(recognisedBy.nextUpdate)}: ${recognisedBy.freshness}`,
        );
      }
    }
    if (result.issuedAt !== undefined) lines.push(`  issued:  ${iso(result.issuedAt)}`);
    if (result.validUntil !== undefined) lines.push(`  expires: ${iso(result.validUntil)}`);
  }
  if (result.claims)
    lines.push(`  claims:  ${JSON.stringify(result.claims, null, 2).replace(/\n/g, '\n  ')}`);
  return lines.join('\n');
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
