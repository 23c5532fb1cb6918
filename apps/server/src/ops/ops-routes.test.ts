import { afterEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../app.test-util.js';

let t: TestApp | undefined;
afterEach(() => t?.app.close());

describe('operations', () => {
  it('/health answers while the process runs; /ready only while the database answers', async () => {
    let up = true;
    t = await testApp({
      ready: async () => {
        if (!up) throw new Error('connect ECONNREFUSED');
      },
    });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    up = false;
    const down = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json().error).toBe('NOT_READY');
    expect(down.body).not.toContain('ECONNREFUSED');
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('/metrics counts requests by route pattern, never by raw URL', async () => {
    t = await testApp();
    await t.app.inject({ method: 'GET', url: '/status/SomeListIdThatIsPersonal' });
    await t.app.inject({ method: 'GET', url: '/no/such/route/with-a-name' });
    await t.app.inject({ method: 'GET', url: '/health' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
    expect(metrics.body).toContain(
      'trieste_http_requests_total{method="GET",route="/status/:listId",status="404"} 1',
    );
    expect(metrics.body).toContain('route="unmatched"');
    expect(metrics.body).toContain('trieste_http_request_duration_seconds_bucket');
    expect(metrics.body).not.toContain('SomeListIdThatIsPersonal');
    expect(metrics.body).not.toContain('with-a-name');
  });

  it('sets the helmet headers on every answer', async () => {
    t = await testApp();
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
  });
});
