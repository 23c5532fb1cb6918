// Hostile requests: whatever a client sends, the answer is a coded 4xx (or a 200/304 for what
// is valid), never a 500, and the server keeps answering.
import { issueCredential } from '@trieste/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestApp, testApp } from './app.test-util.js';
import { HTTP_STATUS } from './http/error-statuses.js';

let t: TestApp;
let list: string;
beforeAll(async () => {
  t = await testApp({ rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  list = (await issueCredential({ vct: 'urn:x', claims: { a: 1 } }, t.issuance)).record.statusListId;
});
afterAll(() => t.app.close());

function expectCoded(response: { statusCode: number; body: string }, what: string) {
  expect(response.statusCode, what).toBeLessThan(500);
  if (response.statusCode >= 400) {
    const body = JSON.parse(response.body);
    expect(Object.keys(HTTP_STATUS), what).toContain(body.error);
    expect(HTTP_STATUS[body.error as keyof typeof HTTP_STATUS]).toBe(response.statusCode);
  }
}

const pathSegment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('x000', 'x001', '000', '001', '.p', '256', '-1', '..', '%2e%2e', '%00', '9'.repeat(30)),
  fc.nat().map(String),
);

describe('hostile input', () => {
  it('tile paths: any path under /log/tile/ is a tile, a 400 MALFORMED or a 404', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pathSegment, { minLength: 1, maxLength: 6 }), async (segments) => {
        const url = `/log/tile/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
        const response = await t.app.inject({ method: 'GET', url });
        expectCoded(response, url);
      }),
      { numRuns: 300 },
    );
  });

  it('huge tile indices and widths are refused without touching the store', async () => {
    for (const path of [
      '0/x999/x999/x999/x999/x999/999',
      '63/x009/x007/x199/x254/x740/991',
      'entries/x009/x007/x199/x254/x740/992.p/255',
    ]) {
      const response = await t.app.inject({ method: 'GET', url: `/log/tile/${path}` });
      expectCoded(response, path);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
    }
  });

  it('status list ids: any id is a token, a 404 or a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (id) => {
        const url = `/status/${encodeURIComponent(id)}`;
        expectCoded(await t.app.inject({ method: 'GET', url }), url);
      }),
      { numRuns: 200 },
    );
  });

  it('admin bodies: arbitrary JSON values and raw bytes are refused with a code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value)),
          fc.string({ maxLength: 200 }),
          fc
            .record({
              list: fc.constant(list),
              index: fc.oneof(fc.integer(), fc.double(), fc.string()),
              status: fc.string(),
            })
            .map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
        async (payload, contentType) => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/admin/credentials/status',
            headers: { ...bearer(t.keys.registrar), 'content-type': contentType },
            payload,
          });
          expectCoded(response, `${contentType} ${payload}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('oversized bodies are 413, cosignature junk is a coded 4xx', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/admin/credentials/status',
      headers: { ...bearer(t.keys.registrar), 'content-type': 'application/json' },
      payload: JSON.stringify({ list, index: 1, status: 'x'.repeat(100_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('PAYLOAD_TOO_LARGE');
    const form = await t.app.inject({
      method: 'POST',
      url: '/admin/credentials/status',
      headers: { ...bearer(t.keys.registrar), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'list=a&index=1',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().error).toBe('UNSUPPORTED_MEDIA_TYPE');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (line) => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/log/cosignature',
          headers: { 'content-type': 'text/plain' },
          payload: line,
        });
        expectCoded(response, line);
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 100 },
    );
  });

  it('methods and routes that do not exist are coded too, and the server still answers', async () => {
    for (const [method, url] of [
      ['DELETE', '/status/x'],
      ['PUT', '/log/checkpoint'],
      ['GET', '/admin'],
      ['GET', `/${'a'.repeat(5000)}`],
    ] as const) {
      expectCoded(await t.app.inject({ method, url }), `${method} ${url}`);
    }
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
