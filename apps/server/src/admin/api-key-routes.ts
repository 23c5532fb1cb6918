import type { ApiKeyRecord, ApiKeyStore, Clock } from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiKey, ROLES } from '../http/api-keys.js';
import { requireRole } from '../http/authenticate.js';

const createBody = z.strictObject({
  role: z.enum(ROLES),
  label: z.string().trim().min(1).max(200).optional(),
});

// The presenter: what an API key shows of itself. Never its secret or the secret's hash. A fresh
// schema per use: one zod object reused as a response root becomes a dangling OpenAPI $ref.
const apiKeyPresenter = () =>
  z.object({
    id: z.string(),
    roles: z.array(z.string()),
    label: z.string(),
    createdAt: z.number(),
    revokedAt: z.number().optional(),
  });

const present = (record: ApiKeyRecord) => ({
  id: record.id,
  roles: [...record.roles],
  label: record.name,
  createdAt: record.createdAt,
  ...(record.revokedAt === undefined ? {} : { revokedAt: record.revokedAt }),
});

/**
 * API key management (role admin). The key is answered once, on creation, and stored only as the
 * hash of its secret; a revocation holds from the next request on, since every request looks its
 * key up again.
 */
export function apiKeyRoutes(
  app: FastifyInstance,
  deps: { apiKeys: ApiKeyStore; clock: Clock; rateLimit: { max: number; timeWindow: number } },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const guarded = {
    config: { rateLimit: deps.rateLimit },
    preParsing: requireRole(deps.apiKeys, 'admin'),
    bodyLimit: 4096,
  };

  typed.post(
    '/admin/api-keys',
    {
      ...guarded,
      schema: { body: createBody, response: { 201: apiKeyPresenter().extend({ key: z.string() }) } },
    },
    async (request, reply) => {
      const { role, label } = request.body;
      const { key, record } = await createApiKey(deps.apiKeys, deps.clock, {
        name: label ?? `${role} key`,
        roles: [role],
      });
      request.log.info({ apiKeyCreated: record.id, role, apiKey: request.apiKey?.id }, 'API key created');
      reply.code(201).header('cache-control', 'no-store');
      return { ...present(record), key };
    },
  );

  typed.get(
    '/admin/api-keys',
    { ...guarded, schema: { response: { 200: z.object({ apiKeys: z.array(apiKeyPresenter()) }) } } },
    async () => ({ apiKeys: (await deps.apiKeys.list()).map(present) }),
  );

  typed.delete(
    '/admin/api-keys/:id',
    {
      ...guarded,
      schema: {
        params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
        response: { 200: apiKeyPresenter() },
      },
    },
    async (request) => {
      // NOT_FOUND (404) from the store for an unknown id; revoking twice changes nothing.
      const record = await deps.apiKeys.revoke(request.params.id);
      request.log.info({ apiKeyRevoked: record.id, apiKey: request.apiKey?.id }, 'API key revoked');
      return present(record);
    },
  );
}
