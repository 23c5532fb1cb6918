import { createHash } from 'node:crypto';
import { trustListContextFor } from '@trieste/adapters';
import {
  addTrustedIssuer,
  formatIsoTime,
  type IssuanceContext,
  isTriesteError,
  parseIsoTime,
  prepareTrustListKey,
  recogniseJurisdiction,
  refreshTrustList,
  rotateTrustListKey,
  TRUST_LIST_MEDIA_TYPE,
  type TrustedIssuer,
  type TrustListContext,
  type TrustListKeyRecord,
  type TrustListVersion,
  unrecogniseJurisdiction,
  withdrawTrustedIssuer,
} from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../http/authenticate.js';
import { ServerError } from '../http/errors.js';
import { isNotModified } from '../http/is-not-modified.js';

/** What the trust routes need beyond the issuance context. */
export interface TrustRouteOptions {
  /**
   * The installation's own issuer as its list shows it (listed at first use with every issuer key
   * of custody): a display name and the credential types it issues. Omitted: not listed.
   */
  ownIssuer?: { name: string; credentialTypes: string[] };
  /** Seconds from a list's issue to its next update (default one day). */
  validitySeconds?: number;
  /** Re-issue this long before the next update (default six hours). */
  refreshBeforeSeconds?: number;
  /**
   * How long caches may keep GET /trust/list (default 300 s), never past the list's next update:
   * a withdrawal reaches every verifier that refreshes within this plus its own refresh interval.
   */
  maxAgeSeconds?: number;
}

const DEFAULT_MAX_AGE_SECONDS = 300;

const isoTime = z.string().max(40);
const jwkRecord = z.record(z.string(), z.unknown());
const credentialTypes = z.array(z.string()).min(1).max(64);

const addIssuerBody = z.strictObject({
  id: z.string().min(1).max(2048),
  name: z.string().min(1).max(500),
  keys: z.array(jwkRecord).min(1).max(16),
  credential_types: credentialTypes,
  valid_from: isoTime.optional(),
  valid_until: isoTime.optional(),
});

const withdrawIssuerBody = z.strictObject({ id: z.string().min(1).max(2048), at: isoTime.optional() });

const recogniseBody = z.strictObject({
  jurisdiction: z.string().regex(/^[A-Z]{2}$/),
  operator_name: z.string().min(1).max(500),
  list_uri: z.string().min(1).max(2048),
  operator_keys: z.array(jwkRecord).min(1).max(16),
  credential_types: credentialTypes,
  purposes: z.array(z.string()).min(1).max(64),
});

const keyBody = z.strictObject({ alg: z.enum(['ES256', 'EdDSA']).optional() }).nullish();

// Presenters: fresh schemas per use (a shared root becomes a dangling OpenAPI $ref), public data only.
const versionPresenter = () =>
  z.object({
    sequence_number: z.number(),
    issued_at: z.string(),
    next_update: z.string(),
    signed_by: z.string(),
  });
const keyPresenter = () =>
  z.object({
    kid: z.string(),
    alg: z.string(),
    state: z.enum(['pending', 'active', 'retired']),
    created_at: z.string(),
    retired_at: z.string().optional(),
    public_jwk: z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string().optional() }),
  });
const issuerPresenter = () =>
  z.object({
    id: z.string(),
    name: z.string(),
    kids: z.array(z.string()),
    credential_types: z.array(z.string()),
    status: z.enum(['granted', 'withdrawn']),
    status_starting_time: z.string(),
  });

const presentVersion = (version: TrustListVersion) => ({
  sequence_number: version.sequenceNumber,
  issued_at: formatIsoTime(version.issuedAt),
  next_update: formatIsoTime(version.nextUpdate),
  signed_by: version.signedBy,
});
const presentKey = (key: TrustListKeyRecord) => ({
  kid: key.kid,
  alg: key.alg,
  state: key.state,
  created_at: formatIsoTime(Math.floor(key.createdAt)),
  ...(key.retiredAt === undefined ? {} : { retired_at: formatIsoTime(Math.floor(key.retiredAt)) }),
  public_jwk: { ...key.publicJwk },
});
const presentIssuer = (issuer: TrustedIssuer) => ({
  id: issuer.id,
  name: issuer.name,
  kids: issuer.keys.map((key) => key.kid),
  credential_types: [...issuer.credentialTypes],
  status: issuer.status,
  status_starting_time: formatIsoTime(issuer.statusStartingTime),
});

/**
 * The trust list: published at a stable URL (GET /trust/list, with ETag, Last-Modified and a
 * bounded max-age, like status lists), every version by its sequence number, and the operator's
 * keys for other jurisdictions to pin. Operator changes go through the admin API (role admin):
 * rate limited, authenticated before the body is read, validated, one core use case that
 * publishes version last + 1 and logs it in the same transaction.
 */
export function trustRoutes(
  app: FastifyInstance,
  deps: {
    issuance: IssuanceContext;
    options?: TrustRouteOptions;
    rateLimit: { max: number; timeWindow: number };
  },
) {
  const { issuance } = deps;
  const options = deps.options ?? {};
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const context = (): Promise<TrustListContext> =>
    trustListContextFor(issuance, {
      ...(options.ownIssuer ? { ownIssuer: { id: issuance.issuer, ...options.ownIssuer } } : {}),
      ...(options.validitySeconds === undefined ? {} : { validitySeconds: options.validitySeconds }),
      ...(options.refreshBeforeSeconds === undefined
        ? {}
        : { refreshBeforeSeconds: options.refreshBeforeSeconds }),
    });
  const guarded = (bodyLimit = 4096) => ({
    config: { rateLimit: deps.rateLimit },
    preParsing: requireRole(issuance.stores.apiKeys, 'admin'),
    bodyLimit,
  });

  // The list is created on first use (like the service keys) and re-issued before its next update
  // by whoever asks first: under the list's lock, so many processes publish one version.
  typed.get('/trust/list', async (request, reply) => {
    const ctx = await context();
    await refreshTrustList(ctx);
    const version = await issuance.stores.trustLists.latestVersion();
    if (!version) throw new ServerError('NOT_FOUND', 'no trust list is published');
    const now = Math.floor(issuance.clock.now());
    const maxAge = Math.max(
      0,
      Math.min(options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS, version.nextUpdate - now),
    );
    return sendVersion(
      request.headers,
      reply,
      version,
      maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache',
    );
  });

  // A past version never changes: cacheable for good. Verifiers that missed versions, and anyone
  // checking the log, fetch them here.
  typed.get(
    '/trust/list/:sequence',
    { schema: { params: z.object({ sequence: z.string().regex(/^[1-9][0-9]{0,14}$/) }) } },
    async (request, reply) => {
      const version = await issuance.stores.trustLists.getVersion(Number(request.params.sequence));
      if (!version) throw new ServerError('NOT_FOUND', 'no trust list version with this sequence number');
      return sendVersion(request.headers, reply, version, 'public, max-age=31536000, immutable');
    },
  );

  // The operator's keys, for another jurisdiction's operator to pin in its recognition of this one
  // (after comparing a thumbprint received out of band), and for this jurisdiction's verifiers.
  typed.get(
    '/trust/operator-keys',
    {
      schema: {
        response: { 200: z.object({ jurisdiction: z.string(), keys: z.array(keyPresenter()) }) },
      },
    },
    async (_request, reply) => {
      const ctx = await context();
      await refreshTrustList(ctx);
      const keys = await issuance.stores.trustLists.keys();
      reply.header('cache-control', `public, max-age=${options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS}`);
      return { jurisdiction: ctx.operator.jurisdiction, keys: keys.map(presentKey) };
    },
  );

  typed.post(
    '/admin/trust/issuers',
    {
      // Certificates make this body larger than other admin bodies.
      ...guarded(256 * 1024),
      schema: {
        body: addIssuerBody,
        response: {
          200: z.object({ created: z.boolean(), issuer: issuerPresenter(), version: versionPresenter() }),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const result = await addTrustedIssuer(await context(), {
        id: body.id,
        name: body.name,
        keys: body.keys,
        credentialTypes: body.credential_types,
        ...(body.valid_from === undefined ? {} : { validFrom: parseIsoTime(body.valid_from, 'valid_from') }),
        ...(body.valid_until === undefined
          ? {}
          : { validUntil: parseIsoTime(body.valid_until, 'valid_until') }),
      });
      logChange(request, 'trusted issuer listed', result.version);
      return {
        created: result.created,
        issuer: presentIssuer(result.issuer),
        version: presentVersion(result.version),
      };
    },
  );

  typed.post(
    '/admin/trust/issuers/withdraw',
    {
      ...guarded(),
      schema: {
        body: withdrawIssuerBody,
        response: { 200: z.object({ issuer: issuerPresenter(), version: versionPresenter() }) },
      },
    },
    async (request) => {
      const { id, at } = request.body;
      const result = await notFoundIf(
        'ISSUER_UNKNOWN',
        'the trust list has no issuer with this id',
        withdrawTrustedIssuer(await context(), id, at === undefined ? {} : { at: parseIsoTime(at, 'at') }),
      );
      logChange(request, 'trusted issuer withdrawn', result.version);
      return { issuer: presentIssuer(result.issuer), version: presentVersion(result.version) };
    },
  );

  typed.post(
    '/admin/trust/recognitions',
    {
      ...guarded(16 * 1024),
      schema: {
        body: recogniseBody,
        response: {
          200: z.object({ created: z.boolean(), jurisdiction: z.string(), version: versionPresenter() }),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const result = await recogniseJurisdiction(await context(), {
        jurisdiction: body.jurisdiction,
        operatorName: body.operator_name,
        listUri: body.list_uri,
        operatorKeys: body.operator_keys,
        credentialTypes: body.credential_types,
        purposes: body.purposes,
      });
      logChange(request, 'jurisdiction recognised', result.version);
      return {
        created: result.created,
        jurisdiction: result.recognition.jurisdiction,
        version: presentVersion(result.version),
      };
    },
  );

  typed.delete(
    '/admin/trust/recognitions/:jurisdiction',
    {
      ...guarded(),
      schema: {
        params: z.object({ jurisdiction: z.string().regex(/^[A-Z]{2}$/) }),
        response: { 200: z.object({ version: versionPresenter() }) },
      },
    },
    async (request) => {
      const { version } = await notFoundIf(
        'TRUST_LIST_NOT_RECOGNISED',
        'this jurisdiction is not recognised',
        unrecogniseJurisdiction(await context(), request.params.jurisdiction),
      );
      logChange(request, 'jurisdiction no longer recognised', version);
      return { version: presentVersion(version) };
    },
  );

  typed.post(
    '/admin/trust/operator-keys',
    {
      ...guarded(),
      schema: {
        body: keyBody,
        response: { 200: z.object({ prepared: keyPresenter(), version: versionPresenter() }) },
      },
    },
    async (request) => {
      const alg = request.body?.alg;
      const result = await prepareTrustListKey(await context(), alg === undefined ? {} : { alg });
      logChange(request, 'next trust list key announced', result.version);
      return { prepared: presentKey(result.prepared), version: presentVersion(result.version) };
    },
  );

  typed.post(
    '/admin/trust/operator-keys/rotate',
    {
      ...guarded(),
      schema: {
        body: keyBody,
        response: {
          200: z.object({
            activated: keyPresenter(),
            retired: z.array(keyPresenter()),
            version: versionPresenter(),
          }),
        },
      },
    },
    async (request) => {
      const alg = request.body?.alg;
      const result = await rotateTrustListKey(await context(), alg === undefined ? {} : { alg });
      logChange(request, 'trust list key rotated', result.version);
      return {
        activated: presentKey(result.activated),
        retired: result.retired.map(presentKey),
        version: presentVersion(result.version),
      };
    },
  );
}

function sendVersion(
  headers: Record<string, string | string[] | undefined>,
  reply: import('fastify').FastifyReply,
  version: TrustListVersion,
  cacheControl: string,
) {
  const etag = `"${createHash('sha256').update(version.jws).digest('base64url')}"`;
  reply
    .header('etag', etag)
    .header('last-modified', new Date(version.issuedAt * 1000).toUTCString())
    .header('cache-control', cacheControl)
    .header('vary', 'accept-encoding');
  if (isNotModified(headers, etag, version.issuedAt)) return reply.code(304).send();
  return reply.type(TRUST_LIST_MEDIA_TYPE).send(version.jws);
}

/** A use case's "no such thing" is a 404 at this API: the thing named in the path or body is absent. */
async function notFoundIf<T>(code: string, message: string, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isTriesteError(error) && error.code === code) throw new ServerError('NOT_FOUND', message);
    throw error;
  }
}

function logChange(
  request: import('fastify').FastifyRequest,
  message: string,
  version: TrustListVersion,
): void {
  request.log.info({ apiKey: request.apiKey?.id, sequenceNumber: version.sequenceNumber }, message);
}

/**
 * The own issuer as the trust list shows it, from the issuer's credential configurations: its
 * display name (the first one) and the `vct` of every configuration.
 */
export function ownIssuerFromConfigurations(configurations: {
  display?: Array<{ name: string }> | undefined;
  credential_configurations: Record<string, { vct: string }>;
}): NonNullable<TrustRouteOptions['ownIssuer']> | undefined {
  // Its credential configurations' types, and the paper IDs the registry signs with the same key
  // (MOSIP Claim 169 QR codes, verified offline against this list).
  const credentialTypes = [
    ...new Set([
      ...Object.values(configurations.credential_configurations).map((configuration) => configuration.vct),
      'claim169',
    ]),
  ];
  const name = configurations.display?.[0]?.name;
  return name && credentialTypes.length > 0 ? { name, credentialTypes } : undefined;
}
