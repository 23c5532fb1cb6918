import { type Clock, createStatusResolver, type IssuanceContext, type TrustStore } from '@trieste/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../http/authenticate.js';
import { ServerError } from '../http/errors.js';
import { sendError } from '../http/send-error.js';
import { createPresentationRequest } from './create-presentation-request.js';
import { createStatusFetcher } from './create-status-fetcher.js';
import {
  type ConfiguredIssuer,
  combineIssuerTrust,
  configuredIssuerTrust,
  installationIssuerTrust,
  trustListIssuerTrust,
} from './issuer-trust.js';
import { ownListsFromStore, ownStatusLists } from './own-status-entries.js';
import { PendingRequestCache } from './pending-request-cache.js';
import { presentResult, resultPresenter } from './present-result.js';
import {
  DEFAULT_TEMPLATE_SETTINGS,
  type TemplateSettings,
  templateSchema,
  transactionDataSchema,
} from './request-templates.js';
import { sendWebhook } from './send-webhook.js';
import { REQUEST_OBJECT_MEDIA_TYPE, signRequestObject } from './sign-request-object.js';
import type { VerifierContext } from './verifier-context.js';
import { verifyPresentationResponse } from './verify-presentation-response.js';
import type { HostResolver } from './webhooks/screen-webhook-address.js';

/** The verifier's settings; every one has a default. */
export interface VerifierOptions {
  /** Public base URL of request_uri and response_uri (default: the installation's issuer URL). */
  baseUrl?: string;
  /** Issuer keys configured beside the installation's own (TRIESTE_VERIFIER_TRUSTED_ISSUERS). */
  trustedIssuers?: ConfiguredIssuer[];
  /** How long a wallet has to answer (default 300 s). */
  requestTtlSeconds?: number;
  /** How long results are kept (default 600 s). */
  retentionSeconds?: number;
  /**
   * The trust store of the trust lists (own and recognised jurisdictions), as of its last refresh:
   * issuers it lists are trusted as it says, scoped to credential types and purposes.
   */
  trustStore?: () => TrustStore;
  /** http:// webhooks and status lists: loopback tests and local demos only (default false). */
  allowHttp?: boolean;
  /**
   * Webhooks to loopback and private addresses: tests and local demos only (default false; the
   * verifier would otherwise POST into its own network on a relying party's say-so).
   */
  allowPrivateWebhookAddresses?: boolean;
  /** The resolver of webhook host names (tests); default the operating system's. */
  resolveWebhookHost?: HostResolver;
  /** The fetch for status lists (tests). */
  fetch?: typeof globalThis.fetch;
  /** The credential types and ages the request templates use (default: jurisdiction XA's). */
  templates?: TemplateSettings;
}

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

const createBody = z.strictObject({
  // Exactly one of the two: a relying party's own DCQL query, or a template the verifier turns
  // into one (request-templates.ts).
  dcql_query: z.record(z.string(), z.unknown()).optional(),
  template: templateSchema.optional(),
  // OpenID4VP 1.0 §5.1: what the holder agrees to, bound into the KB-JWT by its hash (§8.4).
  transaction_data: transactionDataSchema.optional(),
  // Required with dcql_query; a template writes a default.
  purpose: z.string().trim().min(1).max(500).optional(),
  // The purpose as a code the trust lists name (e.g. age_verification): another jurisdiction's
  // issuers are accepted only for purposes this one's list recognises them for.
  purpose_code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/)
    .optional(),
  trusted_issuers: z.array(z.string().min(1).max(500)).min(1).max(20),
  response_mode: z.enum(['direct_post', 'direct_post.jwt']).default('direct_post.jwt'),
  webhook_url: z.string().min(1).max(2000).optional(),
});

const createdPresenter = z.object({
  id: z.string(),
  status: z.literal('pending'),
  client_id: z.string(),
  request_uri: z.string(),
  authorization_request: z.string(),
  qr_code: z.object({ png: z.string(), svg: z.string() }),
  expires_at: z.number(),
});

/**
 * Another issuer's status list is cached at most this long, whatever its ttl says: a revocation
 * there reaches this verifier within five minutes.
 */
const STATUS_MAX_AGE_SECONDS = 300;

/** Builds the verifier's context from the installation and the options. */
export function createVerifierContext(
  issuance: IssuanceContext,
  clock: Clock,
  options: VerifierOptions = {},
): VerifierContext {
  const { stores, crypto } = issuance;
  const trust = combineIssuerTrust([
    installationIssuerTrust(stores.keys, issuance.issuer),
    configuredIssuerTrust(options.trustedIssuers ?? [], crypto),
    ...(options.trustStore ? [trustListIssuerTrust(options.trustStore, clock)] : []),
  ]);
  const own = ownStatusLists(issuance.statusBaseUri, issuance.issuer);
  const fetchStatusListToken = createStatusFetcher({
    ownStatusBaseUri: issuance.statusBaseUri,
    statusLists: stores.statusLists,
    trustedIssuers: () => trust.issuers(),
    ...(options.allowHttp ? { allowHttp: true } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    stores,
    crypto,
    clock,
    baseUrl: options.baseUrl ?? issuance.issuer,
    trust,
    status: ownListsFromStore(
      own,
      stores.statusLists,
      createStatusResolver({
        fetchStatusListToken,
        issuerKeys: trust,
        crypto,
        maxTtlSeconds: STATUS_MAX_AGE_SECONDS,
      }),
    ),
    ownStatus: own,
    requests: new PendingRequestCache(),
    statusMaxAgeSeconds: STATUS_MAX_AGE_SECONDS,
    requestTtlSeconds: options.requestTtlSeconds ?? 300,
    retentionSeconds: options.retentionSeconds ?? 600,
    kbMaxAgeSeconds: 300,
    templates: options.templates ?? DEFAULT_TEMPLATE_SETTINGS,
    webhooks: {
      allowHttp: options.allowHttp ?? false,
      allowPrivateWebhookAddresses: options.allowPrivateWebhookAddresses ?? false,
      ...(options.resolveWebhookHost ? { resolve: options.resolveWebhookHost } : {}),
      timeoutMs: 5000,
    },
  };
}

/**
 * The verifier (OpenID4VP 1.0 with DCQL). Relying-party routes under /verifier/ (API key with the
 * `verifier` role, rate limited): create a request, poll its result, delete it. Wallet routes under
 * /openid4vp/ (no authentication: the unguessable request id is the capability, the nonce and
 * state bind the answer): the signed request object and the response endpoint, answering errors
 * as OAuth/OpenID4VP error JSON.
 */
export async function verifierRoutes(
  app: FastifyInstance,
  deps: { ctx: VerifierContext; rateLimit: { max: number; timeWindow: number } },
): Promise<void> {
  const { ctx } = deps;
  const store = ctx.stores.presentationRequests;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const guarded = {
    config: { rateLimit: deps.rateLimit },
    preParsing: requireRole(ctx.stores.apiKeys, 'verifier'),
    bodyLimit: 16 * 1024,
  };

  typed.post(
    '/verifier/requests',
    { ...guarded, schema: { body: createBody, response: { 201: createdPresenter } } },
    async (request, reply) => {
      const body = request.body;
      const created = await createPresentationRequest(
        {
          ...(body.dcql_query === undefined ? {} : { dcqlQuery: body.dcql_query }),
          ...(body.template === undefined ? {} : { template: body.template }),
          ...(body.transaction_data === undefined ? {} : { transactionData: body.transaction_data }),
          ...(body.purpose === undefined ? {} : { purpose: body.purpose }),
          ...(body.purpose_code === undefined ? {} : { purposeCode: body.purpose_code }),
          trustedIssuers: body.trusted_issuers,
          responseMode: body.response_mode,
          ...(body.webhook_url === undefined ? {} : { webhookUrl: body.webhook_url }),
          apiKeyId: request.apiKey!.id,
        },
        ctx,
      );
      request.log.info(
        { request: created.record.id, apiKey: request.apiKey?.id, mode: created.record.responseMode },
        'presentation request created',
      );
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          id: created.record.id,
          status: 'pending' as const,
          client_id: created.clientId,
          request_uri: created.requestUri,
          authorization_request: created.link,
          qr_code: created.qr,
          expires_at: created.record.expiresAt,
        });
    },
  );

  const ownRequest = async (request: FastifyRequest, id: string) => {
    const record = await store.get(id);
    // Another relying party's request does not exist for this one (no existence oracle).
    if (!record || record.apiKeyId !== request.apiKey?.id) {
      throw new ServerError('NOT_FOUND', 'no such presentation request');
    }
    if (record.deleteAt <= ctx.clock.now()) {
      // Past retention: deleted on read, whatever the periodic job has done yet.
      await store.delete(id);
      throw new ServerError('NOT_FOUND', 'no such presentation request');
    }
    return record;
  };

  typed.get(
    '/verifier/requests/:id',
    { ...guarded, schema: { params: idParams, response: { 200: resultPresenter } } },
    async (request, reply) => {
      const record = await ownRequest(request, request.params.id);
      const result = record.status === 'verified' ? await store.result(record.id) : undefined;
      reply.header('cache-control', 'no-store');
      return presentResult(record, result, ctx.clock.now());
    },
  );

  typed.delete(
    '/verifier/requests/:id',
    { ...guarded, schema: { params: idParams } },
    async (request, reply) => {
      await ownRequest(request, request.params.id);
      ctx.requests?.forget(request.params.id);
      await store.delete(request.params.id);
      return reply.code(204).send();
    },
  );

  await app.register(async (wallet) => {
    wallet.setErrorHandler((error, request, reply) => sendError(request, reply, error, 'openid4vp'));
    // A form post (OpenID4VP 1.0 §8.2). A parameter sent twice is refused (RFC 6749 §3.1).
    wallet.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        const params = new URLSearchParams(body as string);
        const form: Record<string, string> = {};
        for (const [name, value] of params) {
          if (Object.hasOwn(form, name)) {
            done(new ServerError('RESPONSE_INVALID', 'a form parameter is repeated'), undefined);
            return;
          }
          form[name] = value;
        }
        done(null, form);
      },
    );
    const walletTyped = wallet.withTypeProvider<ZodTypeProvider>();

    walletTyped.get(
      '/openid4vp/request/:id',
      { config: { rateLimit: deps.rateLimit }, schema: { params: idParams } },
      async (request, reply) => {
        const record = await store.get(request.params.id);
        if (!record) throw new ServerError('NOT_FOUND', 'no such presentation request');
        if (record.status !== 'pending')
          throw new ServerError('REQUEST_ANSWERED', 'this request was answered already');
        if (ctx.clock.now() >= record.expiresAt)
          throw new ServerError('REQUEST_EXPIRED', 'this request has expired');
        // The wallet's answer usually comes back to the process that served the request object.
        ctx.requests?.remember(record);
        const jar = await signRequestObject(record, ctx);
        return reply.header('cache-control', 'no-store').type(REQUEST_OBJECT_MEDIA_TYPE).send(jar);
      },
    );

    walletTyped.post(
      '/openid4vp/response/:id',
      {
        config: { rateLimit: deps.rateLimit },
        bodyLimit: 64 * 1024,
        schema: { params: idParams, body: z.record(z.string(), z.string()) },
      },
      async (request, reply) => {
        const outcome = await verifyPresentationResponse(request.params.id, request.body, ctx);
        const { record } = outcome;
        // Codes and ids only: no claim, no token.
        request.log.info(
          { request: record.id, status: record.status, reason: record.reason },
          'presentation response recorded',
        );
        if (record.webhookUrl) {
          const url = record.webhookUrl;
          const presented = presentResult(
            record,
            'result' in outcome ? outcome.result : undefined,
            ctx.clock.now(),
          );
          void sendWebhook(url, presented, ctx).then((delivered) =>
            request.log.info({ request: record.id, delivered }, 'presentation webhook sent'),
          );
        }
        return reply.header('cache-control', 'no-store').send({});
      },
    );
  });
}
