import {
  addCosignature,
  type LogContext,
  logVerifierKey,
  parseTilePath,
  TILE_WIDTH,
  withCosignatures,
} from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServerError } from '../http/errors.js';
import { readTile } from './read-tile.js';

const TEXT = 'text/plain; charset=utf-8';
/** Partial tiles are replaced by wider ones as the tree grows: short-lived in caches. */
const PARTIAL_TILE_MAX_AGE = 60;

/**
 * The transparency log's read API under /log/, the layout of c2sp.org/tlog-tiles: what `trieste log
 * serve-dir` writes as files, served from the store. Options `cosignatureRateLimit` applies to the
 * one write route, which needs no API key: a cosignature is accepted only if a configured witness's
 * key verifies it.
 */
export function logRoutes(
  app: FastifyInstance,
  deps: { log: LogContext; cosignatureRateLimit: { max: number; timeWindow: number } },
) {
  const { log } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // tlog-checkpoint: the latest signed checkpoint with its witnesses' cosignatures. It changes
  // with every sequencing, so caches must revalidate.
  typed.get('/log/checkpoint', async (_request, reply) => {
    const latest = await log.stores.log.latestCheckpoint();
    if (!latest) throw new ServerError('NOT_FOUND', 'the log has published no checkpoint yet');
    const { note } = await withCosignatures(log, latest);
    return reply.type(TEXT).header('cache-control', 'no-cache').send(note);
  });

  typed.get('/log/vkey', async (_request, reply) => {
    const vkey = await logVerifierKey(log);
    return reply.type(TEXT).header('cache-control', 'public, max-age=3600').send(`${vkey}\n`);
  });

  // tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>]: parseTilePath accepts only the one canonical
  // spelling of a tile (MALFORMED otherwise), so caches never hold two copies of one tile.
  typed.get(
    '/log/tile/*',
    { schema: { params: z.object({ '*': z.string().max(64) }) } },
    async (request, reply) => {
      const tile = parseTilePath(`tile/${request.params['*']}`);
      const { size } = await log.stores.log.state();
      const bytes = await readTile(log.stores.log, size, tile);
      if (!bytes) throw new ServerError('NOT_FOUND', 'the tree has no such tile');
      const full = tile.width === TILE_WIDTH;
      return reply
        .type('application/octet-stream')
        .header(
          'cache-control',
          full ? 'public, max-age=31536000, immutable' : `public, max-age=${PARTIAL_TILE_MAX_AGE}`,
        )
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );

  // c2sp.org/tlog-cosignature: a witness posts its cosignature line of the latest checkpoint.
  typed.post(
    '/log/cosignature',
    {
      bodyLimit: 4096,
      config: { rateLimit: deps.cosignatureRateLimit },
      schema: { body: z.string().min(1).max(4096) },
    },
    async (request, reply) => {
      const { note } = await addCosignature(log, request.body);
      return reply.type(TEXT).header('cache-control', 'no-store').send(note);
    },
  );
}
