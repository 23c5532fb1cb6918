import { readFileSync } from 'node:fs';
import { CliError } from './errors.js';

/** Where a command writes: human text by default, JSON with --json; errors go to stderr. */
export interface Output {
  json: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function print(out: Output, human: string, machine: unknown): void {
  out.stdout(out.json ? JSON.stringify(machine, null, 2) : human);
}

/** Reads stdin when the argument is `-`, else takes the argument itself as the value. */
export function readValueArgument(value: string, readStdin: () => string): string {
  const text = value === '-' ? readStdin() : value;
  return text.trim();
}

/** Reads a file argument (`-` for stdin) with a size bound: input is untrusted. */
export function readFileArgument(
  path: string,
  readStdin: () => string,
  what: string,
  maxBytes = 4 * 1024 * 1024,
): string {
  if (path === '-') return readStdin();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', `cannot read ${what} file`, { cause });
  }
  if (text.length > maxBytes)
    throw new CliError('INPUT_INVALID', `${what} file is larger than ${maxBytes} bytes`);
  return text;
}

export function parseJsonInput(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    // The parser's message may quote the input: keep it as the cause only.
    throw new CliError('INPUT_INVALID', `${what} is not valid JSON`, { cause });
  }
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

const ISO_DURATION =
  /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})S)?)?$/;

/**
 * `90s`, `15m`, `12h`, `30d`, `2w`, `1y`, or an ISO 8601 duration (`P1Y`, `P30D`, `PT12H`) →
 * seconds. A year is 365 days and a month 30, as for validity periods nothing finer is meant.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const iso = ISO_DURATION.exec(trimmed);
  if (iso && trimmed !== 'P' && !trimmed.endsWith('T')) {
    const [y, mo, w, d, h, mi, s] = iso.slice(1).map((part) => Number(part ?? 0)) as number[];
    const seconds = y! * 31536000 + mo! * 2592000 + w! * 604800 + d! * 86400 + h! * 3600 + mi! * 60 + s!;
    if (seconds <= 0) throw new CliError('USAGE', 'a duration must be positive');
    return seconds;
  }
  const match = /^(\d{1,9})([smhdwy])$/.exec(trimmed);
  if (!match) {
    throw new CliError(
      'USAGE',
      'a duration is a number and a unit (90s, 15m, 12h, 30d, 2w, 1y) or ISO 8601 (P1Y)',
    );
  }
  const seconds = Number(match[1]) * UNITS[match[2]!]!;
  if (seconds <= 0) throw new CliError('USAGE', 'a duration must be positive');
  return seconds;
}

/** An ISO 8601 instant → NumericDate seconds. */
export function parseInstant(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) {
    throw new CliError('USAGE', '--at takes an ISO 8601 time such as 2030-01-01T00:00:00Z');
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new CliError('USAGE', '--at is not a valid time');
  return ms / 1000;
}

/** `given_name`, `address.locality`, `nationalities.0` or a JSON pointer → JSON pointer. */
export function toPointer(path: string): string {
  const trimmed = path.trim();
  if (trimmed === '') throw new CliError('USAGE', 'an empty claim path was given');
  if (trimmed.startsWith('/')) return trimmed;
  return `/${trimmed
    .split('.')
    .map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
