import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ServerError } from '../http/errors.js';

/**
 * Operations: /health says the process answers (liveness: restart it if not); /ready says it can
 * serve, i.e. the database answers (readiness: send it traffic); /metrics is for Prometheus and
 * carries no personal data. None of them is cached.
 */
export function opsRoutes(app: FastifyInstance, deps: { ready(): Promise<void>; metrics: Registry }) {
  app.get('/health', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  app.get('/ready', async (_request, reply) => {
    try {
      await deps.ready();
    } catch (cause) {
      throw new ServerError('NOT_READY', 'the database does not answer', { cause });
    }
    return reply.header('cache-control', 'no-store').send({ status: 'ready' });
  });

  app.get('/metrics', async (_request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .type(deps.metrics.contentType)
      .send(await deps.metrics.metrics()),
  );
}
