// The real server process: built, started on loopback with a temporary data directory and a port
// the OS picks, asked over HTTP, stopped with SIGTERM; then started again on the same data.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeCrypto } from '@trieste/adapters';
import { verifyCheckpoint } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const MAIN = join(ROOT, 'apps/server/dist/main.js');

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

function start(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'], PORT: '0', HOST: '127.0.0.1', TRIESTE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30_000);
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match && stderr.includes('operations:')) {
        clearTimeout(timer);
        // The banner is written in one go after listen; give the last lines a moment.
        setTimeout(
          () => resolve({ child, url: match[1]!, stderr: () => stderr, stdout: () => stdout, exited }),
          100,
        );
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
}

describe('the server process', () => {
  let dir: string;
  beforeAll(async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b', 'apps/server'], { cwd: ROOT, stdio: 'pipe' });
    dir = await mkdtemp(join(tmpdir(), 'trieste-server-'));
  }, 180_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('starts, serves /health and a verifiable /log/checkpoint, stops on SIGTERM, keeps its data', async () => {
    const dataDir = join(dir, 'data');
    const first = await start(dataDir);
    const adminKey = /\n\s+(trieste\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\n/.exec(first.stderr())?.[1];
    expect(adminKey).toBeDefined();
    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    const vkey = (await (await fetch(`${first.url}/log/vkey`)).text()).trim();
    const checkpoint = await fetch(`${first.url}/log/checkpoint`);
    expect(checkpoint.status).toBe(200);
    const verified = await verifyCheckpoint(
      await checkpoint.text(),
      { logKey: vkey },
      { crypto: nodeCrypto() },
    );
    expect(verified.checkpoint.size).toBeGreaterThan(0);
    const keys = await fetch(`${first.url}/admin/keys`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(keys.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // The logs (stdout) are JSON lines and never hold the admin key.
    expect(first.stdout()).not.toContain(adminKey!);
    for (const line of first.stdout().split('\n').filter(Boolean))
      expect(() => JSON.parse(line)).not.toThrow();

    const second = await start(dataDir);
    expect(second.stderr()).not.toContain('demo admin API key');
    expect((await (await fetch(`${second.url}/log/vkey`)).text()).trim()).toBe(vkey);
    const again = await fetch(`${second.url}/admin/keys`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(again.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('refuses a malformed configuration at start, naming the variable', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, [MAIN], { env: { PORT: 'eighty' }, stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
      expect((error as { status: number }).status).toBe(2);
    }
    expect(stderr).toContain('trieste-server: CONFIG_INVALID: PORT must be an integer');
    expect(stderr).not.toContain('eighty');
  });
});
