import { isAdapterError } from '@trieste/adapters';
import { isTriesteError } from '@trieste/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, HTTP_STATUS } from './error-statuses.js';
import { isServerError, ServerError } from './errors.js';

/** What a client sees of a failure (OAuth 2.0 style, RFC 6749 §5.2): a code and a safe sentence. */
export interface ErrorBody {
  error: ErrorCode;
  error_description: string;
}

interface Classified {
  code: ErrorCode;
  description: string;
}

// Fastify's own errors (body parsing, content types). Their messages can quote the request body
// (a JSON syntax error names the offending text), so only a fixed sentence per code is shown.
const FASTIFY_ERRORS: Record<string, Classified> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', description: 'the request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    description: 'this content type is not accepted here',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_FAILED',
    description: 'the content length does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', description: 'the JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', description: 'the body is not valid JSON' },
};

/** Maps any thrown value to a code and a description fit for the client. Never throws. */
export function classifyError(error: unknown): Classified {
  if (isServerError(error) || isTriesteError(error) || isAdapterError(error)) {
    return { code: error.code, description: error.message };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    // Paths and zod issue codes only: an issue's message or params could echo the input.
    const where = error.validation
      .slice(0, 5)
      .map((issue) => {
        const path = issue.instancePath === '/' ? '' : issue.instancePath;
        return `${error.validationContext ?? 'request'}${path} (${issue.keyword})`;
      })
      .join(', ');
    return { code: 'VALIDATION_FAILED', description: `invalid request: ${where}` };
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_ERRORS[fastifyCode]) return FASTIFY_ERRORS[fastifyCode];
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  // A JSON body that does not parse is a SyntaxError with statusCode 400 in Fastify 5.
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    if (statusCode === 404) return { code: 'NOT_FOUND', description: 'no such resource' };
    if (statusCode === 413) return FASTIFY_ERRORS['FST_ERR_CTP_BODY_TOO_LARGE']!;
    if (statusCode === 415) return FASTIFY_ERRORS['FST_ERR_CTP_INVALID_MEDIA_TYPE']!;
    return { code: 'VALIDATION_FAILED', description: 'the request is malformed' };
  }
  return { code: 'INTERNAL', description: 'unexpected failure' };
}

/**
 * How the error is worded on the wire. `trieste`: our code is the `error`. `openid4vp`: the wallet
 * endpoints answer in the OAuth 2.0 error vocabulary OpenID4VP 1.0 §8.5 relies on
 * (`invalid_request`, `server_error`, `temporarily_unavailable`), our code kept in the description.
 */
export type ErrorWire = 'trieste' | 'openid4vp';

/**
 * Writes the error response — the one place that does: the status from the one table, a JSON
 * body, never cached; 5xx messages are replaced (they may name internals) and logged with cause.
 */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  wire: ErrorWire = 'trieste',
): FastifyReply {
  const { code, description } = classifyError(error);
  const status = HTTP_STATUS[code];
  if (status >= 500) {
    // The operator needs the cause; the client gets the code only, the message may name internals.
    request.log.error({ err: error, code }, 'request failed');
  } else {
    request.log.info({ code }, 'request refused');
  }
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  const safe = status >= 500 ? 'the server cannot answer this request now' : description;
  const body =
    wire === 'openid4vp'
      ? {
          error:
            status >= 500 ? 'server_error' : status === 429 ? 'temporarily_unavailable' : 'invalid_request',
          error_description: `${safe} (${code})`,
        }
      : ({ error: code, error_description: safe } satisfies ErrorBody);
  return reply.code(status).header('cache-control', 'no-store').type('application/json').send(body);
}

/** The single error handler and the not-found handler of an app. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new ServerError('NOT_FOUND', 'no such resource')),
  );
}
