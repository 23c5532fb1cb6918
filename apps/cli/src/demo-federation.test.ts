// `npm run demo:federation` end to end: two real server processes (apps/server/dist, so `tsc -b`
// must have run, as `npm test` does), recognition, withdrawal, rollback. The demo checks each
// expectation itself and exits non-zero when one fails; this test holds it to that.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function runDemo(timeoutMs: number): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/demo-federation.mjs'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    // The demo stops its servers and removes its temp folder on SIGTERM.
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe('npm run demo:federation', () => {
  it('meets every expectation: recognised, verified, withdrawn and refused, rollback refused', async () => {
    const { status, output } = await runDemo(110_000);
    expect(output).toContain('✓ XB verifies the credential issued in XA');
    expect(output).toContain('✓ XB refuses the credential after its refresh: ISSUER_WITHDRAWN');
    expect(output).toContain('✓ XB refuses the older list (TRUST_LIST_ROLLBACK');
    expect(output).toContain('federation demo: every expectation met');
    expect(output).not.toContain('✗');
    expect(status, output).toBe(0);
  }, 120_000);
});
