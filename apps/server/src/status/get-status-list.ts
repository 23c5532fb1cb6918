import { createHash } from 'node:crypto';
import { type Clock, decodeCompactJws, STATUS_LIST_JWT_TYP, type StatusListStore } from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServerError } from '../http/errors.js';
import { isNotModified } from '../http/is-not-modified.js';

/** List ids are 128-bit base64url (adapters' newStatusListId); the bound keeps lookups cheap. */
export const statusListParams = z.object({ listId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

export const STATUS_LIST_MEDIA_TYPE = `application/${STATUS_LIST_JWT_TYP}`;

/**
 * GET /status/:listId: the latest Status List Token (draft-ietf-oauth-status-list §8.1), with
 * caching a relying party and a CDN can use: a strong ETag (hash of the token), Last-Modified (its
 * iat), and a max-age no longer than the token's `ttl` (§13.7) nor its remaining validity, so a
 * cache never serves a list past the time the issuer asked verifiers to refetch it.
 */
export function getStatusListRoute(
  app: FastifyInstance,
  deps: { statusLists: StatusListStore; clock: Clock },
) {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/status/:listId', { schema: { params: statusListParams } }, async (request, reply) => {
      const version = await deps.statusLists.latestVersion(request.params.listId);
      if (!version) throw new ServerError('NOT_FOUND', 'no such status list');
      const etag = `"${createHash('sha256').update(version.token).digest('base64url')}"`;
      const now = Math.floor(deps.clock.now());
      const maxAge = Math.max(0, Math.min(tokenTtl(version.token) ?? 0, version.expiresAt - now));
      reply
        .header('etag', etag)
        .header('last-modified', new Date(version.issuedAt * 1000).toUTCString())
        .header('cache-control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache')
        .header('vary', 'accept-encoding');
      if (isNotModified(request.headers, etag, version.issuedAt)) return reply.code(304).send();
      return reply.type(STATUS_LIST_MEDIA_TYPE).send(version.token);
    });
}

/** The token's `ttl` claim: our own signed token, read without verifying it again. */
function tokenTtl(token: string): number | undefined {
  const ttl = decodeCompactJws(token).payload['ttl'];
  return typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl > 0 ? ttl : undefined;
}
