import { resolve } from 'node:path';
import { z } from 'zod';
import { ServerError } from './http/errors.js';
import type { LogLevel } from './http/logger.js';

/**
 * The server's one configuration module, read only by the composition root (main.ts). Every
 * variable is documented here and in the README; a missing or malformed one stops the server at
 * start with CONFIG_INVALID naming the variable (never its value: some are secrets).
 *
 * - PORT                  TCP port (default 8080; 0 picks a free one, printed at start)
 * - HOST                  address to listen on (default 127.0.0.1, this machine only: a demo admin
 *                         key is printed at first start, so exposing the server is a decision —
 *                         set 0.0.0.0 in a container or behind a reverse proxy)
 * - TRIESTE_DATA_DIR      data directory (embedded database, master key file); default ./data
 * - DATABASE_URL          a PostgreSQL server (postgres://…) instead of the embedded database
 * - TRIESTE_MASTER_KEY    32-byte key (base64url or hex) sealing issuer and log keys at rest;
 *                         default: <data dir>/master.key, created with mode 0600 at first start
 * - TRIESTE_ISSUER        the issuer identifier and public base URL of a new installation
 *                         (status lists are at <issuer>/status/<id>, the log at <issuer>/log/);
 *                         default http://localhost:<PORT>. An initialised installation keeps its own.
 * - TRIESTE_LOG_LEVEL     fatal | error | warn | info | debug | trace | silent (default info)
 * - TRIESTE_SEQUENCER_INTERVAL_MS   how often queued log entries are sequenced and a checkpoint
 *                         signed (default 1000, 50 to 3600000)
 * - TRIESTE_RATE_LIMIT_MAX          requests per window and client address, counted per route, on
 *                         the admin API (/admin/*: statuses, keys, API keys, offers), log cosignature
 *                         posts, the issuer's protocol endpoints (/credential-offer/:id, /authorize,
 *                         /token, /nonce, /credential), the relying-party API (/verifier/*) and the
 *                         wallet's OpenID4VP endpoints (/openid4vp/*); not on metadata, /status,
 *                         /log reads, /health, /ready or /metrics (default 60)
 * - TRIESTE_RATE_LIMIT_WINDOW_MS    the rate limit's window (default 60000)
 * - TRIESTE_TRUST_PROXY   true behind a reverse proxy that sets X-Forwarded-For (default false)
 * - TRIESTE_VERIFIER_TRUSTED_ISSUERS  a JSON file of issuer keys the verifier trusts beside this
 *                         installation's own: { "issuers": [{ "issuer": "https://…", "keys": [<JWK>] }] }
 * - TRIESTE_JURISDICTION  ISO 3166-1 alpha-2 code of a new installation's jurisdiction (default XA,
 *                          a user-assigned code); TRIESTE_JURISDICTION_NAME its display name
 * - TRIESTE_TRUST_REFRESH_INTERVAL_MS  how often the trust lists are re-issued when due and the
 *                          recognised jurisdictions' lists fetched (default 300000)
 * - TRIESTE_TRUST_GRACE_SECONDS  how long past its next update a list is still used, flagged
 *                          stale (default 86400)
 * - TRIESTE_TRUST_ALLOW_HTTP  true to fetch other jurisdictions' lists over http:// (local demo only)
 * - TRIESTE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES  true to let relying parties' webhooks target loopback
 *                          and private addresses (local demo only; refused by default against SSRF)
 * - TRIESTE_VERIFIER_RETENTION_SECONDS  how long presentation results are kept (default 600, 10 to 86400)
 * - TRIESTE_VERIFIER_REQUEST_TTL_SECONDS  how long a wallet has to answer (default 300, 30 to 3600)
 * - TRIESTE_CREDENTIAL_CONFIGURATIONS  the issuer's credential configurations (JSON, OpenID4VCI 1.0
 *                         §12.2.4 shape); default: the built-in apps/server/config/credential-configurations.json
 */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  masterKey?: string;
  issuer: string;
  logLevel: LogLevel;
  sequencerIntervalMs: number;
  rateLimit: { max: number; timeWindowMs: number };
  trustProxy: boolean;
  /** The installation's jurisdiction, set at first start (its trust list names it). */
  jurisdiction: { code: string; name: string };
  /** The verifier's trust store: refresh interval, grace after next update, http:// lists (demo). */
  trust: { refreshIntervalMs: number; graceSeconds: number; allowHttp: boolean };
  verifier: {
    trustedIssuersPath?: string;
    retentionSeconds: number;
    requestTtlSeconds: number;
    /** Webhooks to loopback/private addresses: local demos and tests only. */
    allowPrivateWebhookAddresses: boolean;
  };
  /** Path of the credential configurations file; undefined: the built-in one. */
  credentialConfigurationsPath?: string;
}

const blankIsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalText = z.preprocess(blankIsUnset, z.string().trim().optional());
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(blankIsUnset, z.coerce.number().int().min(min).max(max).default(fallback));

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '' && url.search === '';
  } catch {
    return false;
  }
};

const schema = z.object({
  PORT: integer(8080, 0, 65535),
  HOST: z.preprocess(blankIsUnset, z.string().trim().min(1).max(255).default('127.0.0.1')),
  TRIESTE_DATA_DIR: optionalText,
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'must be a postgres:// or postgresql:// URL',
  }),
  TRIESTE_MASTER_KEY: optionalText,
  TRIESTE_ISSUER: optionalText.refine((v) => v === undefined || isHttpUrl(v), {
    message: 'must be an http(s) URL without query or fragment',
  }),
  TRIESTE_LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  TRIESTE_SEQUENCER_INTERVAL_MS: integer(1000, 50, 3_600_000),
  TRIESTE_RATE_LIMIT_MAX: integer(60, 1, 1_000_000),
  TRIESTE_RATE_LIMIT_WINDOW_MS: integer(60_000, 1000, 86_400_000),
  TRIESTE_CREDENTIAL_CONFIGURATIONS: optionalText,
  TRIESTE_TRUST_PROXY: z.preprocess(blankIsUnset, z.enum(['true', 'false']).default('false')),
  TRIESTE_VERIFIER_TRUSTED_ISSUERS: optionalText,
  TRIESTE_VERIFIER_RETENTION_SECONDS: integer(600, 10, 86_400),
  TRIESTE_VERIFIER_REQUEST_TTL_SECONDS: integer(300, 30, 3600),
  TRIESTE_JURISDICTION: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as XA' })
      .default('XA'),
  ),
  TRIESTE_JURISDICTION_NAME: optionalText,
  TRIESTE_TRUST_REFRESH_INTERVAL_MS: integer(300_000, 1000, 86_400_000),
  TRIESTE_TRUST_GRACE_SECONDS: integer(86_400, 0, 30 * 86_400),
  TRIESTE_TRUST_ALLOW_HTTP: z.preprocess(blankIsUnset, z.enum(['true', 'false']).default('false')),
  TRIESTE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: z.preprocess(
    blankIsUnset,
    z.enum(['true', 'false']).default('false'),
  ),
});

/** Reads and checks the environment; throws ServerError('CONFIG_INVALID') naming the variable. */
export function readConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    // The issue's own message is zod's description of the rule, never the value; custom messages
    // above say what is expected.
    throw new ServerError('CONFIG_INVALID', `${variable} ${describe(issue)}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: resolve(c.TRIESTE_DATA_DIR ?? 'data'),
    ...(c.DATABASE_URL === undefined ? {} : { databaseUrl: c.DATABASE_URL }),
    ...(c.TRIESTE_MASTER_KEY === undefined ? {} : { masterKey: c.TRIESTE_MASTER_KEY }),
    issuer: c.TRIESTE_ISSUER ?? `http://localhost:${c.PORT === 0 ? 8080 : c.PORT}`,
    logLevel: c.TRIESTE_LOG_LEVEL,
    sequencerIntervalMs: c.TRIESTE_SEQUENCER_INTERVAL_MS,
    rateLimit: { max: c.TRIESTE_RATE_LIMIT_MAX, timeWindowMs: c.TRIESTE_RATE_LIMIT_WINDOW_MS },
    trustProxy: c.TRIESTE_TRUST_PROXY === 'true',
    jurisdiction: {
      code: c.TRIESTE_JURISDICTION,
      name: c.TRIESTE_JURISDICTION_NAME ?? `Demo Republic of ${c.TRIESTE_JURISDICTION}`,
    },
    trust: {
      refreshIntervalMs: c.TRIESTE_TRUST_REFRESH_INTERVAL_MS,
      graceSeconds: c.TRIESTE_TRUST_GRACE_SECONDS,
      allowHttp: c.TRIESTE_TRUST_ALLOW_HTTP === 'true',
    },
    verifier: {
      ...(c.TRIESTE_VERIFIER_TRUSTED_ISSUERS === undefined
        ? {}
        : { trustedIssuersPath: resolve(c.TRIESTE_VERIFIER_TRUSTED_ISSUERS) }),
      retentionSeconds: c.TRIESTE_VERIFIER_RETENTION_SECONDS,
      requestTtlSeconds: c.TRIESTE_VERIFIER_REQUEST_TTL_SECONDS,
      allowPrivateWebhookAddresses: c.TRIESTE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES === 'true',
    },
    ...(c.TRIESTE_CREDENTIAL_CONFIGURATIONS === undefined
      ? {}
      : { credentialConfigurationsPath: resolve(c.TRIESTE_CREDENTIAL_CONFIGURATIONS) }),
  };
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'custom':
      return issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.join(', ')}`;
    case 'too_small':
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    default:
      return issue.code === 'invalid_type' && issue.expected === 'number'
        ? 'must be an integer'
        : 'is malformed';
  }
}
