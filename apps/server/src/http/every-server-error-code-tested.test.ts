// Every code of the server's error class is produced by at least one test through the app (the
// table test alone, which builds each error by hand, does not count).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_ERROR_CODES } from './errors.js';

const SRC = new URL('../', import.meta.url).pathname;
const SKIP = ['every-server-error-code-tested.test.ts', 'error-statuses.test.ts'];

function tests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tests(path);
    return name.endsWith('.test.ts') && !SKIP.includes(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

const sources = tests(SRC).join('\n');

describe('server error codes', () => {
  it.each([...SERVER_ERROR_CODES])('%s is asserted by a test', (code) => {
    expect(sources.includes(`'${code}'`) || sources.includes(`${code}:`)).toBe(true);
  });
});
