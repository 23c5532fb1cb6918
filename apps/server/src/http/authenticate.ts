import type { ApiKeyRecord, ApiKeyStore } from '@trieste/core';
import type { FastifyRequest, preParsingHookHandler } from 'fastify';
import { authenticateApiKey, hasRole, type Role } from './api-keys.js';
import { ServerError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key that authenticated this request (admin routes), without its secret. */
    apiKey?: ApiKeyRecord;
  }
}

/**
 * A hook that lets the request through only with `Authorization: Bearer <API key>` of a live key
 * carrying `role`: 401 otherwise, 403 for a valid key without the role. It runs before the body is
 * read (preParsing), after the rate limit, so an unauthenticated client cannot make the server
 * parse bodies.
 */
export function requireRole(apiKeys: ApiKeyStore, role: Role): preParsingHookHandler {
  return async (request: FastifyRequest, _reply, payload) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new ServerError('UNAUTHORIZED', 'an API key is required (Authorization: Bearer)');
    const key = await authenticateApiKey(apiKeys, match[1]!);
    if (!key) throw new ServerError('UNAUTHORIZED', 'the API key is not valid');
    if (!hasRole(key.roles, role)) throw new ServerError('FORBIDDEN', `this route needs the ${role} role`);
    request.apiKey = key;
    return payload;
  };
}
