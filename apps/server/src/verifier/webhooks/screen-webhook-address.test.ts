// SSRF screening of relying-party webhook URLs: every forbidden address class is refused, as a
// literal and behind a host name (a stub resolver stands in for DNS), including IPv4 addresses
// wrapped in IPv6; public addresses pass; the test/dev switch lets loopback through.
import { describe, expect, it } from 'vitest';
import { isServerError } from '../../http/errors.js';
import { classifyAddress, type HostResolver, screenWebhookUrl } from './screen-webhook-address.js';

const POLICY = { allowHttp: false };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (isServerError(error)) return error.code;
    throw error;
  }
}

const resolver =
  (table: Record<string, string[]>): HostResolver =>
  async (hostname) => {
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };

const FORBIDDEN: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['fec0::1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['fe80::1', 'link-local'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['255.255.255.255', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.10', 'reserved'],
  ['2001:db8::1', 'reserved'],
  // IPv4 inside IPv6 is judged by the IPv4 address it reaches.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['2002:c0a8:0101::1', 'private'],
];

const PUBLIC = [
  '93.184.216.34',
  '8.8.8.8',
  '100.128.0.1',
  '172.32.0.1',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
];

describe('classifyAddress', () => {
  it.each(FORBIDDEN)('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(PUBLIC)('%s is public', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });

  it('refuses what is not an IP address at all', () => {
    expect(classifyAddress('localhost')).toBe('reserved');
    expect(classifyAddress('')).toBe('reserved');
  });
});

describe('screenWebhookUrl', () => {
  it.each(FORBIDDEN)('refuses a literal %s (%s): WEBHOOK_ADDRESS_FORBIDDEN', async (address) => {
    const host = address.includes(':') ? `[${address}]` : address;
    expect(await codeOf(screenWebhookUrl(`https://${host}/hook`, POLICY))).toBe('WEBHOOK_ADDRESS_FORBIDDEN');
  });

  it.each(FORBIDDEN)('refuses a host name resolving to %s (%s)', async (address) => {
    const resolve = resolver({ 'rp.example': [address] });
    expect(await codeOf(screenWebhookUrl('https://rp.example/hook', { ...POLICY, resolve }))).toBe(
      'WEBHOOK_ADDRESS_FORBIDDEN',
    );
  });

  it('refuses a host with one public and one internal address: the connection could take either', async () => {
    const resolve = resolver({ 'rp.example': ['93.184.216.34', '10.0.0.7'] });
    const error = await screenWebhookUrl('https://rp.example/hook', { ...POLICY, resolve }).catch((e) => e);
    expect(error.code).toBe('WEBHOOK_ADDRESS_FORBIDDEN');
    // The class is named, the address is not.
    expect(error.message).toContain('private');
    expect(error.message).not.toContain('10.0.0.7');
  });

  it('accepts a public host and returns the address to connect to', async () => {
    const resolve = resolver({ 'rp.example': ['2606:4700:4700::1111', '93.184.216.34'] });
    const target = await screenWebhookUrl('https://rp.example:8443/hook?x=1', { ...POLICY, resolve });
    expect(target).toMatchObject({ hostname: 'rp.example', address: '2606:4700:4700::1111', family: 6 });
    expect(target.url.href).toBe('https://rp.example:8443/hook?x=1');
    const literal = await screenWebhookUrl('https://[2606:4700:4700::1111]/hook', POLICY);
    expect(literal).toMatchObject({
      hostname: '2606:4700:4700::1111',
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it('lets loopback through only with allowPrivateWebhookAddresses (tests, local demo)', async () => {
    const resolve = resolver({ localhost: ['127.0.0.1'] });
    expect(await codeOf(screenWebhookUrl('http://localhost:9/hook', { allowHttp: true, resolve }))).toBe(
      'WEBHOOK_ADDRESS_FORBIDDEN',
    );
    const target = await screenWebhookUrl('http://localhost:9/hook', {
      allowHttp: true,
      allowPrivateWebhookAddresses: true,
      resolve,
    });
    expect(target).toMatchObject({ address: '127.0.0.1', family: 4 });
  });

  it.each([
    ['not a URL', 'hook'],
    ['plain http', 'http://93.184.216.34/hook'],
    ['another scheme', 'ftp://93.184.216.34/hook'],
    ['credentials', 'https://user:pass@93.184.216.34/hook'],
    ['a fragment', 'https://93.184.216.34/hook#x'],
  ])('refuses %s: VALIDATION_FAILED', async (_what, url) => {
    expect(await codeOf(screenWebhookUrl(url, POLICY))).toBe('VALIDATION_FAILED');
  });

  it('refuses a host that does not resolve, or not in time', async () => {
    expect(
      await codeOf(screenWebhookUrl('https://nowhere.example/hook', { ...POLICY, resolve: resolver({}) })),
    ).toBe('VALIDATION_FAILED');
    const never: HostResolver = () => new Promise(() => {});
    expect(
      await codeOf(
        screenWebhookUrl('https://slow.example/hook', { ...POLICY, resolve: never, resolveTimeoutMs: 50 }),
      ),
    ).toBe('VALIDATION_FAILED');
    const empty: HostResolver = async () => [];
    expect(await codeOf(screenWebhookUrl('https://empty.example/hook', { ...POLICY, resolve: empty }))).toBe(
      'VALIDATION_FAILED',
    );
  });
});
