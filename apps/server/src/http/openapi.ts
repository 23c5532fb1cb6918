import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Where the interactive docs live; the OpenAPI document is at `${DOCS_PREFIX}/json` (and /yaml). */
export const DOCS_PREFIX = '/docs';

const errorBody = z
  .object({ error: z.string(), error_description: z.string() })
  .describe('Every refusal: a code from the closed list and a sentence without secrets');

const text = (description: string, mediaType = 'text/plain') => ({
  description,
  content: { [mediaType]: { schema: z.string() } },
});

const form = (shape: z.ZodRawShape) => z.object(shape);

/**
 * Routes that read their own input (form bodies parsed in the route, a Bearer token, proofs checked
 * by the use case) or answer text declare no zod schema, so the document is told about them here.
 * These entries only describe: validation stays in the routes. A route missing from both this
 * table and its own schema still appears in the document, without bodies.
 */
const DESCRIBED: Record<string, Record<string, unknown>> = {
  'GET /health': { response: { 200: z.object({ status: z.literal('ok') }) } },
  'GET /ready': { response: { 200: z.object({ status: z.literal('ready') }), 503: errorBody } },
  'GET /metrics': { response: { 200: text('Prometheus text exposition format') } },
  'GET /status/{listId}': {
    response: {
      200: text(
        'The latest Status List Token (statuslist+jwt), with ETag and Last-Modified',
        'application/statuslist+jwt',
      ),
      304: z.null().describe('Not modified (If-None-Match / If-Modified-Since)'),
    },
  },
  'GET /log/checkpoint': {
    response: { 200: text('The latest signed checkpoint (c2sp.org/tlog-checkpoint)') },
  },
  'GET /log/vkey': { response: { 200: text("The log's signed-note verifier key") } },
  'GET /log/tile/*': {
    response: { 200: text('A tlog-tiles hash or entry tile', 'application/octet-stream') },
  },
  'POST /log/cosignature': { response: { 200: text('The checkpoint with its cosignatures') } },
  'GET /.well-known/openid-credential-issuer': {
    response: { 200: z.record(z.string(), z.unknown()).describe('OpenID4VCI 1.0 §12.2 issuer metadata') },
  },
  'GET /.well-known/oauth-authorization-server': {
    response: { 200: z.record(z.string(), z.unknown()).describe('RFC 8414 authorization server metadata') },
  },
  'GET /.well-known/jwt-vc-issuer': {
    response: {
      200: z.object({
        issuer: z.string(),
        jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
      }),
    },
  },
  'GET /credential-offer/{id}': {
    response: { 200: z.record(z.string(), z.unknown()).describe('OpenID4VCI 1.0 §4.1.1 credential offer') },
  },
  'POST /token': {
    consumes: ['application/x-www-form-urlencoded'],
    body: form({
      grant_type: z.literal('urn:ietf:params:oauth:grant-type:pre-authorized_code'),
      'pre-authorized_code': z.string().max(128),
      tx_code: z.string().max(32).optional(),
    }),
    response: {
      200: z.object({ access_token: z.string(), token_type: z.string(), expires_in: z.number() }),
    },
  },
  'POST /nonce': { response: { 200: z.object({ c_nonce: z.string() }) } },
  'POST /credential': {
    body: z.object({
      credential_configuration_id: z.string(),
      proofs: z.object({ jwt: z.array(z.string()).describe('One key proof (openid4vci-proof+jwt) per key') }),
    }),
    response: { 200: z.object({ credentials: z.array(z.object({ credential: z.string() })) }) },
  },
  'GET /openid4vp/request/{id}': {
    response: { 200: text('The signed request object (JAR)', 'application/oauth-authz-req+jwt') },
  },
  'POST /openid4vp/response/{id}': {
    consumes: ['application/x-www-form-urlencoded'],
    response: { 200: z.object({}) },
  },
  'DELETE /verifier/requests/{id}': { response: { 204: z.null().describe('Deleted') } },
};

const TAGS: Array<[prefix: string, tag: string]> = [
  ['/admin/', 'admin'],
  ['/verifier/', 'verifier'],
  ['/openid4vp/', 'OpenID4VP (wallet)'],
  ['/status/', 'status'],
  ['/log/', 'transparency log'],
  ['/.well-known/', 'metadata'],
  ['/credential', 'OpenID4VCI (wallet)'],
  ['/token', 'OpenID4VCI (wallet)'],
  ['/nonce', 'OpenID4VCI (wallet)'],
];

/** Fastify's `:param` as OpenAPI's `{param}`, so the table above reads like the document. */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const zodTransform = createJsonSchemaTransform({
  skipList: [
    DOCS_PREFIX,
    `${DOCS_PREFIX}/`,
    `${DOCS_PREFIX}/json`,
    `${DOCS_PREFIX}/yaml`,
    `${DOCS_PREFIX}/*`,
  ],
});

/**
 * The OpenAPI 3 document (GET /docs/json) built from the routes' own zod schemas — the same ones
 * that validate requests and present responses — and Swagger UI at /docs from the assets bundled in
 * @fastify/swagger-ui (no CDN). Register before the routes: the document collects them as they are
 * added.
 */
export async function registerOpenApi(app: FastifyInstance, options: { serverUrl: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Trieste',
        description:
          'OpenID4VCI 1.0 issuer, OpenID4VP 1.0 verifier, Token Status Lists and a transparency log. ' +
          'Admin and verifier routes take an API key: `Authorization: Bearer trieste.<id>.<secret>`.',
        version: '0.1.0',
      },
      servers: [{ url: options.serverUrl }],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    },
    transform: (document) => {
      const { route, url } = document;
      const method = [route.method].flat()[0];
      const described = DESCRIBED[`${method} ${openapiPath(url)}`] ?? {};
      const own = (document.schema ?? {}) as Record<string, unknown>;
      const guarded = route.preParsing !== undefined && [route.preParsing].flat().length > 0;
      const tag = TAGS.find(([prefix]) => url.startsWith(prefix))?.[1] ?? 'operations';
      const schema = {
        ...described,
        ...own,
        response: {
          ...(described['response'] as object | undefined),
          ...(own['response'] as object | undefined),
          '4XX': errorBody,
          '5XX': errorBody,
        },
        tags: [tag],
        ...(guarded ? { security: [{ apiKey: [] }] } : {}),
      };
      const transformed = zodTransform({ ...document, schema } as Parameters<typeof zodTransform>[0]);
      return { ...transformed, schema: inlineCycles(transformed.schema) as typeof transformed.schema };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
}

/**
 * The zod converter writes a recursive schema (`z.json()`, the offer's claim values) as a `$ref` to
 * a component it never emits, since we register no schemas by id. Such a reference is shown as
 * what it stands for, any JSON value, so the document has no dangling reference.
 */
function inlineCycles(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inlineCycles);
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    return { description: 'any JSON value' };
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, inlineCycles(inner)]));
}
