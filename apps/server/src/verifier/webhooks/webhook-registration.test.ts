// SSRF screening where a relying party registers its webhook (POST /verifier/requests): a URL
// aimed at the verifier's own network is refused before any request is created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_QUERY, bearer, ISSUER, type VerifierTestApp, verifierTestApp } from '../verifier.test-util.js';

let t: VerifierTestApp;
beforeAll(async () => {
  t = await verifierTestApp({ verifier: { allowPrivateWebhookAddresses: false } });
});
afterAll(() => t.close());

const create = (webhookUrl: string) =>
  t.app.inject({
    method: 'POST',
    url: '/verifier/requests',
    headers: { ...bearer(t.keys.verifier), 'content-type': 'application/json' },
    payload: {
      dcql_query: AGE_QUERY,
      purpose: 'Age check at the venue door',
      trusted_issuers: [ISSUER],
      webhook_url: webhookUrl,
    },
  });

describe('registering a webhook', () => {
  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['loopback (IPv6)', 'https://[::1]/hook'],
    ['loopback (IPv4-mapped IPv6)', 'https://[::ffff:127.0.0.1]/hook'],
    ['private (RFC 1918)', 'https://192.168.0.10/hook'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data/'],
    ['CGNAT', 'https://100.64.1.1/hook'],
    ['unique-local IPv6', 'https://[fd00::1]/hook'],
    ['multicast', 'https://224.0.0.251/hook'],
    ['unspecified', 'https://0.0.0.0/hook'],
  ])('refuses a %s address: WEBHOOK_ADDRESS_FORBIDDEN, nothing created', async (_what, url) => {
    const response = await create(url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'WEBHOOK_ADDRESS_FORBIDDEN' });
    expect(response.body).not.toContain(new URL(url).hostname.replace(/[[\]]/g, ''));
  });

  it('accepts a public address', async () => {
    const response = await create('https://93.184.216.34/hook');
    expect(response.statusCode, response.body).toBe(201);
  });
});
