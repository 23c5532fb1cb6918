import { readFileSync, statSync } from 'node:fs';
import { loadTrustDirectory, readQrFromImage } from '@trieste/adapters';
import { type QrTrustMaterial, type QrVerificationResult, verifyQrText } from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, print } from '../io.js';

/** Largest input file read: a phone photo of a paper ID fits, a disk image does not. */
const MAX_INPUT_BYTES = 20 * 1024 * 1024;

/**
 * The trust material for `--trust`. A directory is read as it is (PEM/DER certificates and JWK
 * files, @trieste/adapters loadTrustDirectory). A file is meant to be a Trieste trust list: that
 * wiring belongs to the trust-list work and lands here, behind this one function; until then a
 * file is refused as USAGE rather than guessed at.
 */
export async function loadTrust(pathOrDir: string): Promise<QrTrustMaterial> {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(pathOrDir).isDirectory();
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', 'cannot read --trust: no such file or directory', { cause });
  }
  if (isDirectory) return loadTrustDirectory(pathOrDir);
  throw new CliError(
    'USAGE',
    'trust list files are not supported by verify-qr yet: give --trust a directory of PEM/DER certificates and JWK files',
  );
}

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
  trust: string;
  /** NumericDate; default now. */
  at?: number;
  readStdin: () => string;
}

/**
 * `trieste verify-qr`: prints each step with ✓ or ✗ and a summary (or, with --json, the result
 * object) and returns the exit status: 0 valid, 2 not valid — as `trieste verify` does. Usage and
 * read errors are thrown and also end with 2 (runCli).
 */
export async function verifyQrCommand(out: Output, input: string, options: VerifyQrOptions): Promise<number> {
  const trust = await loadTrust(options.trust);
  const text = readQrInput(input, options.readStdin);
  const now = options.at ?? Date.now() / 1000;
  const result = await verifyQrText(text, trust, { now });
  print(out, describe(result), result);
  if (!result.valid) {
    const failed = result.steps.at(-1);
    out.stderr(`trieste: ${result.code}: ${failed?.detail ?? 'not valid'}`);
    return 2;
  }
  return 0;
}

function describe(result: QrVerificationResult): string {
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
