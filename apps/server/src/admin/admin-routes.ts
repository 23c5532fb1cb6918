import {
  changeCredentialStatus,
  type IssuanceContext,
  type IssuerKeyRecord,
  type SIGNATURE_ALGS,
  STATUS,
} from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../http/authenticate.js';
import { statusListParams } from '../status/get-status-list.js';
import { apiKeyRoutes } from './api-key-routes.js';

const STATUS_NAMES = ['valid', 'invalid', 'suspended'] as const;

const setStatusBody = z.strictObject({
  list: statusListParams.shape.listId,
  // Status list indices are at most 2^31 (draft-ietf-oauth-status-list); larger is hostile.
  index: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  status: z.enum(STATUS_NAMES),
});

const statusName = (value: number): string =>
  value === STATUS.VALID
    ? 'valid'
    : value === STATUS.INVALID
      ? 'invalid'
      : value === STATUS.SUSPENDED
        ? 'suspended'
        : `0x${value.toString(16).padStart(2, '0')}`;

// Presenters: the only fields that leave the server. An issuer key shows its public part only.
const setStatusResponse = z.object({
  list: z.string(),
  index: z.number(),
  previous: z.string(),
  status: z.string(),
  version: z.number(),
  issuedAt: z.number(),
});

const keyPresenter = z.object({
  kid: z.string(),
  alg: z.string(),
  state: z.enum(['pending', 'active', 'retired']),
  createdAt: z.number(),
  retiredAt: z.number().optional(),
  publicJwk: z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string().optional() }),
});

const present = (key: IssuerKeyRecord) => ({ ...key, publicJwk: { ...key.publicJwk } });

/**
 * The admin API: every route is rate limited, then authenticated by API key and role, then
 * validated, then runs one core use case (which logs its change in the same transaction).
 */
export function adminRoutes(
  app: FastifyInstance,
  deps: { issuance: IssuanceContext; rateLimit: { max: number; timeWindow: number } },
) {
  const { stores } = deps.issuance;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const guarded = (role: 'admin' | 'registrar') => ({
    config: { rateLimit: deps.rateLimit },
    preParsing: requireRole(stores.apiKeys, role),
    bodyLimit: 4096,
  });

  // Suspends, reinstates or revokes a credential and publishes the list's new version, so the
  // change is at GET /status/:listId as soon as this answers.
  typed.post(
    '/admin/credentials/status',
    { ...guarded('registrar'), schema: { body: setStatusBody, response: { 200: setStatusResponse } } },
    async (request) => {
      const { list, index, status } = request.body;
      const result = await changeCredentialStatus(list, index, status, deps.issuance);
      request.log.info(
        { list, index, status, apiKey: request.apiKey?.id, version: result.version.version },
        'credential status changed',
      );
      return {
        list,
        index,
        previous: statusName(result.previous),
        status,
        version: result.version.version,
        issuedAt: result.version.issuedAt,
      };
    },
  );

  typed.get(
    '/admin/keys',
    { ...guarded('admin'), schema: { response: { 200: z.object({ keys: z.array(keyPresenter) }) } } },
    async () => ({ keys: (await stores.keys.list()).map(present) }),
  );

  // A new active key; the previous one is retired (it still verifies what it signed). Custody
  // appends the key events to the transparency log in the same transaction.
  typed.post(
    '/admin/keys/rotate',
    {
      ...guarded('admin'),
      schema: {
        body: z
          .strictObject({ alg: z.enum(['ES256', 'EdDSA'] satisfies typeof SIGNATURE_ALGS).optional() })
          .nullish(),
        response: { 200: z.object({ created: keyPresenter, retired: z.array(keyPresenter) }) },
      },
    },
    async (request) => {
      const result = await stores.transaction((tx) => tx.keys.rotate(request.body?.alg ?? undefined));
      request.log.info({ kid: result.created.kid, apiKey: request.apiKey?.id }, 'issuer key rotated');
      return { created: present(result.created), retired: result.retired.map(present) };
    },
  );

  apiKeyRoutes(app, { apiKeys: stores.apiKeys, clock: deps.issuance.clock, rateLimit: deps.rateLimit });
}
