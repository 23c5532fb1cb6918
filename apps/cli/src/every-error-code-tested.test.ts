// Every error code of every package must be produced by at least one test ("every error code has
// a negative test"). The CLI sees all three layers, so the guard lives here: a code added to a
// union without a test that asserts it fails this test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPTER_ERROR_CODES } from '@trieste/adapters';
import { CORE_ERROR_CODES } from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { CLI_ERROR_CODES } from './errors.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function testSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testSources(path));
    else if (/\.test(-util)?\.ts$/.test(name) && !path.endsWith('every-error-code-tested.test.ts')) {
      out.push(readFileSync(path, 'utf8'));
    }
  }
  return out;
}

const sources = [...testSources(join(ROOT, 'packages')), ...testSources(join(ROOT, 'apps'))].join('\n');

describe.each([
  ['@trieste/core', CORE_ERROR_CODES],
  ['@trieste/adapters', ADAPTER_ERROR_CODES],
  ['@trieste/cli', CLI_ERROR_CODES],
])('error codes of %s', (_name, codes) => {
  it.each([...codes])('%s is asserted by a test', (code) => {
    // Asserted as a string ('CODE') or inside an expected stderr pattern (`trieste: CODE: `).
    expect(
      sources.includes(`'${code}'`) || sources.includes(`${code}:`) || sources.includes(`(${code}|`),
    ).toBe(true);
  });
});
