import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';
import { ServerError } from './http/errors.js';

function configError(env: NodeJS.ProcessEnv): ServerError {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ServerError) return error;
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('readConfig', () => {
  it('has documented defaults: loopback, port 8080, ./data, the embedded database', () => {
    expect(readConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: resolve('data'),
      issuer: 'http://localhost:8080',
      logLevel: 'info',
      sequencerIntervalMs: 1000,
      rateLimit: { max: 60, timeWindowMs: 60_000 },
      trustProxy: false,
      jurisdiction: { code: 'XA', name: 'Demo Republic of XA' },
      trust: { refreshIntervalMs: 300_000, graceSeconds: 86_400, allowHttp: false },
      verifier: { retentionSeconds: 600, requestTtlSeconds: 300, allowPrivateWebhookAddresses: false },
    });
  });

  it('reads the jurisdiction and the trust store settings, and refuses a code that is not ISO 3166 alpha-2', () => {
    const config = readConfig({
      TRIESTE_JURISDICTION: 'XB',
      TRIESTE_JURISDICTION_NAME: 'Demo Kingdom of XB',
      TRIESTE_TRUST_REFRESH_INTERVAL_MS: '5000',
      TRIESTE_TRUST_GRACE_SECONDS: '60',
      TRIESTE_TRUST_ALLOW_HTTP: 'true',
    });
    expect(config.jurisdiction).toEqual({ code: 'XB', name: 'Demo Kingdom of XB' });
    expect(config.trust).toEqual({ refreshIntervalMs: 5000, graceSeconds: 60, allowHttp: true });
    for (const bad of ['xb', 'XBC', 'X1']) {
      expect(() => readConfig({ TRIESTE_JURISDICTION: bad })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
  });

  it('reads the verifier settings and bounds them', () => {
    expect(
      readConfig({
        TRIESTE_VERIFIER_TRUSTED_ISSUERS: 'trusted.json',
        TRIESTE_VERIFIER_RETENTION_SECONDS: '60',
        TRIESTE_VERIFIER_REQUEST_TTL_SECONDS: '120',
        TRIESTE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
      }).verifier,
    ).toEqual({
      trustedIssuersPath: resolve('trusted.json'),
      retentionSeconds: 60,
      requestTtlSeconds: 120,
      allowPrivateWebhookAddresses: true,
    });
    expect(() => readConfig({ TRIESTE_VERIFIER_RETENTION_SECONDS: '1' })).toThrow(
      /RETENTION_SECONDS must be at least 10/,
    );
  });

  it('reads every variable, and treats blank ones as unset', () => {
    const config = readConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      TRIESTE_DATA_DIR: '/srv/trieste',
      DATABASE_URL: 'postgres://u:p@db/trieste',
      TRIESTE_MASTER_KEY: 'k'.repeat(43),
      TRIESTE_ISSUER: 'https://id.example.gov',
      TRIESTE_LOG_LEVEL: 'warn',
      TRIESTE_SEQUENCER_INTERVAL_MS: '250',
      TRIESTE_RATE_LIMIT_MAX: '10',
      TRIESTE_RATE_LIMIT_WINDOW_MS: '1000',
      TRIESTE_TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      dataDir: '/srv/trieste',
      databaseUrl: 'postgres://u:p@db/trieste',
      issuer: 'https://id.example.gov',
      logLevel: 'warn',
      sequencerIntervalMs: 250,
      rateLimit: { max: 10, timeWindowMs: 1000 },
      trustProxy: true,
    });
    expect(readConfig({ PORT: ' ', DATABASE_URL: '' })).toMatchObject({ port: 8080 });
    expect(readConfig({ PORT: '' }).databaseUrl).toBeUndefined();
  });

  it('fails fast with CONFIG_INVALID naming the variable, never echoing its value', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ PORT: '80a' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ DATABASE_URL: 'mysql://root:hunter2@db' }, 'DATABASE_URL'],
      [{ TRIESTE_ISSUER: 'ftp://hunter2.example' }, 'TRIESTE_ISSUER'],
      [{ TRIESTE_ISSUER: 'https://id.example/?hunter2' }, 'TRIESTE_ISSUER'],
      [{ TRIESTE_LOG_LEVEL: 'hunter2' }, 'TRIESTE_LOG_LEVEL'],
      [{ TRIESTE_SEQUENCER_INTERVAL_MS: '1' }, 'TRIESTE_SEQUENCER_INTERVAL_MS'],
      [{ TRIESTE_RATE_LIMIT_MAX: '0' }, 'TRIESTE_RATE_LIMIT_MAX'],
      [{ TRIESTE_TRUST_PROXY: 'yes-hunter2' }, 'TRIESTE_TRUST_PROXY'],
    ];
    for (const [env, variable] of cases) {
      const error = configError(env);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message.startsWith(`${variable} `), error.message).toBe(true);
      expect(error.message).not.toContain('hunter2');
    }
  });
});
