import { ADAPTER_ERROR_CODES, AdapterError } from '@trieste/adapters';
import { CORE_ERROR_CODES, TriesteError } from '@trieste/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from './error-statuses.js';
import { SERVER_ERROR_CODES, ServerError } from './errors.js';
import { classifyError, registerErrorHandling } from './send-error.js';

const ALL = [
  ...CORE_ERROR_CODES.map(
    (code) => ['@trieste/core', code, () => new TriesteError(code, `core ${code}`)] as const,
  ),
  ...ADAPTER_ERROR_CODES.map(
    (code) => ['@trieste/adapters', code, () => new AdapterError(code, `adapter ${code}`)] as const,
  ),
  ...SERVER_ERROR_CODES.map(
    (code) => ['@trieste/server', code, () => new ServerError(code, `server ${code}`)] as const,
  ),
];

describe('the error table', () => {
  it('has exactly the codes of the three packages', () => {
    const codes = new Set(ALL.map(([, code]) => code));
    expect(new Set(Object.keys(HTTP_STATUS))).toEqual(codes);
  });

  it.each(ALL)('%s %s answers with its status and an OAuth-style body', async (_pkg, code, make) => {
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/fail', async () => {
      throw make();
    });
    const response = await app.inject({ method: 'GET', url: '/fail' });
    const status = HTTP_STATUS[code];
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
    expect(response.statusCode).toBe(status);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body.error).toBe(code);
    // A 5xx says which code, never the internal message.
    if (status >= 500) expect(body.error_description).not.toContain(code.toLowerCase());
    else expect(body.error_description).toMatch(new RegExp(`${code}$`));
    await app.close();
  });

  it('answers anything unexpected with 500 INTERNAL and no detail', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/fail', async () => {
      throw new Error('connection to postgres://user:hunter2@db failed');
    });
    const response = await app.inject({ method: 'GET', url: '/fail' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'INTERNAL',
      error_description: 'the server cannot answer this request now',
    });
    expect(response.body).not.toContain('hunter2');
    await app.close();
  });

  it("never shows Fastify's own messages, which can quote the body", () => {
    const syntax = Object.assign(new SyntaxError('Unexpected token s in JSON: "secret-value'), {
      statusCode: 400,
    });
    expect(classifyError(syntax)).toEqual({
      code: 'VALIDATION_FAILED',
      description: 'the request is malformed',
    });
    expect(
      classifyError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))
        .code,
    ).toBe('PAYLOAD_TOO_LARGE');
    expect(classifyError(Object.assign(new Error('x'), { statusCode: 415 })).code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(classifyError(Object.assign(new Error('x'), { statusCode: 404 })).code).toBe('NOT_FOUND');
    expect(classifyError('a string').code).toBe('INTERNAL');
    expect(classifyError(null).code).toBe('INTERNAL');
  });
});
