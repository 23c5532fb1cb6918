import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISSUER, type TestApp, testApp } from '../app.test-util.js';

interface Operation {
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
  security?: unknown[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Every `$ref` in the document, so each can be checked to resolve inside it. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') out.push(inner);
      else refs(inner, out);
    }
  }
  return out;
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document);
}

let t: TestApp;
let document: Document;

beforeAll(async () => {
  t = await testApp();
  const response = await t.app.inject({ method: 'GET', url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  document = response.json() as Document;
});
afterAll(() => t.app.close());

describe('GET /docs/json', () => {
  it('is a well-formed OpenAPI 3 document (OpenAPI 3.1 §4.8: required fields, responses, refs)', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: 'Trieste', version: expect.any(String) });
    expect(document.servers).toEqual([{ url: ISSUER }]);
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path).toMatch(/^\//);
      for (const [method, operation] of Object.entries(item)) {
        expect(METHODS.has(method), `${method} ${path}`).toBe(true);
        const codes = Object.keys(operation.responses);
        expect(codes.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const code of codes) expect(code, `${method} ${path}`).toMatch(/^([1-5](\d\d|XX)|default)$/);
        // Every {param} of the path is declared as a required path parameter.
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          const declared = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
          expect(declared?.required, `${method} ${path} {${name}}`).toBe(true);
        }
      }
    }
    for (const ref of refs(document)) expect(resolvePointer(document, ref), ref).toBeDefined();
  });

  it('lists the protocol, admin, status, log, verifier and operations routes', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /.well-known/openid-credential-issuer',
        'GET /.well-known/oauth-authorization-server',
        'GET /.well-known/jwt-vc-issuer',
        'GET /credential-offer/{id}',
        'POST /token',
        'POST /nonce',
        'POST /credential',
        'POST /admin/offers',
        'POST /admin/credentials/status',
        'GET /admin/keys',
        'POST /admin/keys/rotate',
        'GET /status/{listId}',
        'GET /log/checkpoint',
        'GET /log/vkey',
        'POST /log/cosignature',
        'POST /verifier/requests',
        'GET /verifier/requests/{id}',
        'DELETE /verifier/requests/{id}',
        'GET /openid4vp/request/{id}',
        'POST /openid4vp/response/{id}',
        'GET /health',
        'GET /ready',
        'GET /metrics',
      ]),
    );
    // The docs' own routes are not part of the API.
    expect(operations.filter((op) => op.includes('/docs'))).toEqual([]);
  });

  it("documents request and response schemas from the routes' own zod schemas", () => {
    const createOffer = document.paths['/admin/offers']!['post']!;
    const body = createOffer.requestBody!.content['application/json']!.schema as {
      required: string[];
      additionalProperties: boolean;
    };
    expect(body.required).toEqual(expect.arrayContaining(['credential_configuration_id', 'claims']));
    expect(body.additionalProperties).toBe(false);
    const created = createOffer.responses['200']!.content!['application/json']!.schema as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(created.properties)).toEqual(
      expect.arrayContaining(['offer_id', 'tx_code', 'credential_offer', 'credential_offer_uri']),
    );
    expect(createOffer.security).toEqual([{ apiKey: [] }]);
    expect(createOffer.tags).toEqual(['admin']);

    const setStatus = document.paths['/admin/credentials/status']!['post']!;
    expect(JSON.stringify(setStatus.requestBody)).toContain('suspended');
    const result = document.paths['/verifier/requests/{id}']!['get']!;
    expect(result.responses['200']!.content!['application/json']).toBeDefined();
    // Refusals share one error body.
    expect(JSON.stringify(result.responses['4XX'])).toContain('error_description');

    // Routes that parse their own bodies are described too.
    const token = document.paths['/token']!['post']!;
    expect(token.requestBody!.content['application/x-www-form-urlencoded']).toBeDefined();
    expect(JSON.stringify(token.responses['200'])).toContain('access_token');
    const status = document.paths['/status/{listId}']!['get']!;
    expect(status.responses['200']!.content!['application/statuslist+jwt']).toBeDefined();
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI from bundled assets, not a CDN', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.js/);
    const bundle = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
    const redirect = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(redirect.statusCode);
  });
});
