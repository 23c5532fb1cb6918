// The server's composition root: config in, adapters composed, app listening. The only module that
// reads the environment (through config.ts) and the only one that owns process signals.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Installation,
  isAdapterError,
  loadOrCreateMasterKeyFile,
  type MasterKey,
  openInstallation,
  parseMasterKey,
} from '@trieste/adapters';
import { isTriesteError } from '@trieste/core';
import { buildApp } from './app.js';
import { readConfig, type ServerConfig } from './config.js';
import { isServerError } from './http/errors.js';
import { asyncStdout, createLogger } from './http/logger.js';
import {
  DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH,
  loadCredentialConfigurations,
} from './issuer/credential-configurations.js';
import { sequenceLog } from './log/sequence-log.js';
import { runPeriodically } from './ops/run-periodically.js';
import { seedDemo } from './seed-demo.js';
import { refreshStatusLists } from './status/refresh-status-lists.js';
import { ownIssuerFromConfigurations } from './trust/trust-routes.js';
import { openVerifierTrust } from './trust/verifier-trust.js';
import { deleteExpiredRequests } from './verifier/delete-expired-requests.js';
import { readTrustedIssuersFile } from './verifier/read-trusted-issuers.js';
import { createVerifierContext, type VerifierOptions } from './verifier/verifier-routes.js';
import { deliverDueWebhooks } from './verifier/webhooks/deliver-due-webhooks.js';

/** How often list versions are checked for expiry, and how long before it they are re-signed. */
const STATUS_REFRESH_INTERVAL_MS = 5 * 60_000;
const STATUS_REFRESH_BEFORE_SECONDS = 6 * 3600;
/** How often the secrets of expired credential offers (claims, codes) and old nonces are deleted. */
const OFFER_PURGE_INTERVAL_MS = 60_000;
/** How often presentation results past their retention are deleted (reads delete them too). */
const PRESENTATION_PURGE_INTERVAL_MS = 30_000;
/** Due webhook deliveries (first attempts run at once; retries back off from 30 s). */
const WEBHOOK_DELIVERY_INTERVAL_MS = 5000;

// Human-readable lines go to stderr; stdout carries the JSON log lines only.
const say = (line: string) => process.stderr.write(`${line}\n`);

async function openServerInstallation(config: ServerConfig): Promise<Installation> {
  let masterKey: MasterKey;
  if (config.masterKey) {
    masterKey = parseMasterKey(config.masterKey);
  } else {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    // Reads the file, or creates it with mode 0600 on first start.
    masterKey = await loadOrCreateMasterKeyFile(join(config.dataDir, 'master.key'));
  }
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return openInstallation({
    database: config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { dataDir: join(config.dataDir, 'pg') },
    masterKey,
    issuer: config.issuer,
  });
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  // Validated before anything opens: a bad file stops the server at start (CONFIG_INVALID).
  const credentialConfigurations = loadCredentialConfigurations(
    config.credentialConfigurationsPath ?? DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH,
  );
  const trustedIssuers = config.verifier.trustedIssuersPath
    ? readTrustedIssuersFile(config.verifier.trustedIssuersPath)
    : [];
  const logOutput = asyncStdout();
  const logger = createLogger(config.logLevel, logOutput);
  const installation = await openServerInstallation(config);
  const { clock } = installation;
  const seed = await seedDemo(installation, clock, config.jurisdiction);
  const trustOptions = { ownIssuer: ownIssuerFromConfigurations(credentialConfigurations) };
  // The verifier's trust store: this jurisdiction's own list (created and listing its own issuer
  // at first start) and the lists of the jurisdictions it recognises, fetched and cached.
  const verifierTrust = await openVerifierTrust(installation.issuance, {
    trust: trustOptions,
    graceSeconds: config.trust.graceSeconds,
    fetch: { timeoutMs: 5000, maxBytes: 1024 * 1024, ...(config.trust.allowHttp ? { allowHttp: true } : {}) },
  });
  const trustRefresh = runPeriodically(
    'trust list refresh',
    async () => {
      for (const outcome of await verifierTrust.refresh()) {
        if (outcome.outcome === 'refused' || outcome.outcome === 'unreachable')
          logger.warn(
            { jurisdiction: outcome.jurisdiction, outcome: outcome.outcome, code: outcome.code },
            'trust list not refreshed',
          );
      }
    },
    { intervalMs: config.trust.refreshIntervalMs, logger },
  );

  const sequencer = runPeriodically('log sequencer', async () => void (await sequenceLog(installation.log)), {
    intervalMs: config.sequencerIntervalMs,
    logger,
  });
  const statusRefresh = runPeriodically(
    'status list refresh',
    async () =>
      void (await refreshStatusLists(installation.issuance, {
        refreshBeforeSeconds: STATUS_REFRESH_BEFORE_SECONDS,
      })),
    { intervalMs: STATUS_REFRESH_INTERVAL_MS, logger },
  );
  // Prepared claims are personal data: those of expired offers are deleted within a minute.
  const offerPurge = runPeriodically(
    'credential offer purge',
    async () => void (await installation.stores.credentialOffers.purgeExpired(clock.now())),
    { intervalMs: OFFER_PURGE_INTERVAL_MS, logger },
  );
  // Data minimisation: presentation results live only as long as configured.
  const presentationPurge = runPeriodically(
    'presentation request purge',
    async () => void (await deleteExpiredRequests(installation.stores.presentationRequests, clock)),
    { intervalMs: PRESENTATION_PURGE_INTERVAL_MS, logger },
  );
  await statusRefresh.runOnce();
  await presentationPurge.runOnce();
  await offerPurge.runOnce();
  await sequencer.runOnce();
  await trustRefresh.runOnce();

  const verifierOptions: VerifierOptions = {
    trustStore: () => verifierTrust.current(),
    // Local demos only: other jurisdictions' status lists (and webhooks) over http://.
    ...(config.trust.allowHttp ? { allowHttp: true } : {}),
    ...(config.verifier.allowPrivateWebhookAddresses ? { allowPrivateWebhookAddresses: true } : {}),
    trustedIssuers,
    retentionSeconds: config.verifier.retentionSeconds,
    requestTtlSeconds: config.verifier.requestTtlSeconds,
  };
  // Webhook deliveries are queued with the answers; any server process may send them (leased rows).
  const webhookDelivery = runPeriodically(
    'webhook delivery',
    async () =>
      void (await deliverDueWebhooks(createVerifierContext(installation.issuance, clock, verifierOptions))),
    { intervalMs: WEBHOOK_DELIVERY_INTERVAL_MS, logger },
  );
  const app = await buildApp({
    issuance: installation.issuance,
    log: installation.log,
    clock,
    ready: async () => void (await installation.database.query('SELECT 1')),
    rateLimit: config.rateLimit,
    logger,
    trustProxy: config.trustProxy,
    credentialConfigurations,
    trust: trustOptions,
    verifier: verifierOptions,
  });

  let closing = false;
  const shutdown = (signal: string) => {
    // A second signal while stopping changes nothing: the first shutdown finishes.
    if (closing) return;
    closing = true;
    void (async () => {
      logger.info({ signal }, 'shutting down');
      // Stop taking requests first, then let the periodic jobs finish, then sign what is queued.
      await app.close();
      await sequencer.stop();
      await statusRefresh.stop();
      await offerPurge.stop();
      await presentationPurge.stop();
      await trustRefresh.stop();
      await webhookDelivery.stop();
      await installation.close();
      logger.info('stopped');
    })().then(
      () => {
        logOutput.flushSync();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logOutput.flushSync();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const local = `http://${host}:${port}`;
  say(`Trieste server listening on ${local}`);
  say(`  issuer:       ${installation.issuance.issuer}${seed.created ? ' (new installation)' : ''}`);
  say(`  jurisdiction: ${verifierTrust.current().jurisdiction}, issuer key ${seed.issuerKid}`);
  say(`  trust list:   ${local}/trust/list  (operator keys: ${local}/trust/operator-keys)`);
  say(`  status list:  ${local}/status/${seed.statusListId}`);
  say(`  OpenID4VCI:   ${local}/.well-known/openid-credential-issuer  (offers: POST ${local}/admin/offers)`);
  say(`  log:          ${local}/log/checkpoint  (verifier key ${seed.logKey})`);
  say(`  operations:   ${local}/health  ${local}/ready  ${local}/metrics`);
  say(`  verifier:     ${local}/verifier/requests  (OpenID4VP; API key with the verifier role)`);
  const pages = installation.issuance.issuer.replace(/\/+$/, '');
  say(`  web:          ${pages}/wallet  ${pages}/registrar  ${pages}/verifier  (consoles: paste an API key)`);
  say(`  registry:     ${local}/registry/persons  (API key with the registrar or supervisor role)`);
  if (seed.adminKey) {
    say('');
    say(`  demo admin API key (shown once, stored only as a hash):`);
    say(`    ${seed.adminKey}`);
    say(`  e.g. curl -H 'Authorization: Bearer <key>' ${local}/admin/keys`);
  }
}

main().catch((error: unknown) => {
  // Our error classes' messages name the problem without secrets; anything else is reported by type.
  if (isServerError(error) || isTriesteError(error) || isAdapterError(error)) {
    say(`trieste-server: ${error.code}: ${error.message}`);
  } else {
    say(
      `trieste-server: INTERNAL: unexpected failure (${error instanceof Error ? error.name : typeof error})`,
    );
  }
  process.exit(2);
});
