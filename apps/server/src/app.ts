import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Clock, IssuanceContext, LogContext } from '@trieste/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { adminRoutes } from './admin/admin-routes.js';
import { ServerError } from './http/errors.js';
import { registerMetrics } from './http/metrics.js';
import { registerOpenApi } from './http/openapi.js';
import { registerErrorHandling } from './http/send-error.js';
import {
  type CredentialConfigurations,
  DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH,
  loadCredentialConfigurations,
} from './issuer/credential-configurations.js';
import { issuerRoutes } from './issuer/issuer-routes.js';
import { logRoutes } from './log/log-routes.js';
import { opsRoutes } from './ops/ops-routes.js';
import {
  holderAccessRoutes,
  onRegistryCredentialsIssued,
  registryRoutes,
} from './registry/registry-routes.js';
import { getStatusListRoute } from './status/get-status-list.js';
import { ownIssuerFromConfigurations, type TrustRouteOptions, trustRoutes } from './trust/trust-routes.js';
import { createVerifierContext, type VerifierOptions, verifierRoutes } from './verifier/verifier-routes.js';
import { webRoutes } from './web/web-routes.js';

/** What the app is built from: ports, stores and plain values. It reads no environment. */
export interface AppDeps {
  /** The issuance context (stores, crypto, clock, issuer): the admin and status routes use it. */
  issuance: IssuanceContext;
  /** The transparency log context (same stores). */
  log: LogContext;
  clock: Clock;
  /** Resolves when the database answers, rejects otherwise (GET /ready). */
  ready(): Promise<void>;
  /**
   * Requests per window, per client address, on each admin, cosignature, issuer protocol (offer by
   * reference, authorize, token, nonce, credential) and verifier route (see config.ts).
   */
  rateLimit: { max: number; timeWindowMs: number };
  /** The verifier's (OpenID4VP) settings: base URL, configured issuer keys, retention. */
  verifier?: VerifierOptions;
  /** The trust list's settings (GET /trust/list, /admin/trust/*); default: the own issuer from the credential configurations. */
  trust?: TrustRouteOptions;
  /** The issuer's (OpenID4VCI) credential configurations; default: the built-in file. */
  credentialConfigurations?: CredentialConfigurations;
  /** The pino logger; default: none (tests). */
  logger?: Logger;
  /** Trust X-Forwarded-For from a reverse proxy (for rate limits by client address). */
  trustProxy?: boolean;
}

/**
 * Builds the HTTP app without listening: main.ts listens, tests call `app.inject()`. The issuer
 * and verifier protocol routes (OpenID4VCI, OpenID4VP) register here as further folders.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Typed as Fastify's logger interface, so route modules take a plain FastifyInstance.
  const logger: FastifyBaseLogger | undefined = deps.logger;
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    trustProxy: deps.trustProxy ?? false,
    bodyLimit: 64 * 1024,
    // Hostile URLs are bounded before routing.
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // One line per request (below), written when it is answered, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  if (logger) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
      done();
    });
  }
  const metrics = registerMetrics(app);

  await app.register(helmet, { global: true });
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    errorResponseBuilder: (_request, context) =>
      new ServerError('RATE_LIMITED', `too many requests: retry in ${context.after}`),
  });

  // Before the routes: the OpenAPI document collects them as they are added.
  await registerOpenApi(app, { serverUrl: deps.issuance.issuer });

  const limit = { max: deps.rateLimit.max, timeWindow: deps.rateLimit.timeWindowMs };
  opsRoutes(app, { ready: deps.ready, metrics });
  getStatusListRoute(app, { statusLists: deps.issuance.stores.statusLists, clock: deps.clock });
  logRoutes(app, { log: deps.log, cosignatureRateLimit: limit });
  adminRoutes(app, { issuance: deps.issuance, rateLimit: limit });
  trustRoutes(app, {
    issuance: deps.issuance,
    options: deps.trust ?? {
      ownIssuer: ownIssuerFromConfigurations(
        deps.credentialConfigurations ?? loadCredentialConfigurations(DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH),
      ),
    },
    rateLimit: limit,
  });
  const configurations =
    deps.credentialConfigurations ?? loadCredentialConfigurations(DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH);
  await issuerRoutes(app, {
    issuance: deps.issuance,
    configurations,
    rateLimit: limit,
    onIssued: (tx, offerId, ids) => onRegistryCredentialsIssued(tx, offerId, ids, deps.clock.now()),
  });
  registryRoutes(app, { issuance: deps.issuance, configurations, rateLimit: limit });
  holderAccessRoutes(app, {
    issuance: deps.issuance,
    vct:
      configurations.credential_configurations['national_identity_xa']?.vct ??
      'urn:trieste:xa:national-identity:1',
    rateLimit: limit,
    configurations,
  });
  await verifierRoutes(app, {
    ctx: createVerifierContext(deps.issuance, deps.clock, deps.verifier),
    rateLimit: limit,
  });
  // The wallet and the consoles (apps/web/dist), under /wallet, /registrar and /verifier.
  await webRoutes(app, { issuer: deps.issuance.issuer });
  return app;
}
