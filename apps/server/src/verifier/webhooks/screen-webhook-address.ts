import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ServerError } from '../../http/errors.js';

/** Why an address may not be a webhook target. */
export type ForbiddenAddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unique-local'
  | 'multicast'
  | 'unspecified'
  | 'reserved';

/** Resolves a host name to every address it has (IPv4 and IPv6, in resolver order). */
export type HostResolver = (hostname: string) => Promise<string[]>;

export interface WebhookAddressPolicy {
  /** http:// URLs (loopback tests, local demo only). */
  allowHttp: boolean;
  /**
   * Targets on loopback, private and other internal addresses: tests and local demos only, never
   * in production (the verifier would POST into its own network on a relying party's say-so).
   */
  allowPrivateWebhookAddresses?: boolean;
  /** Default: the operating system's resolver (getaddrinfo), bounded by `resolveTimeoutMs`. */
  resolve?: HostResolver;
  /** Default 5000 ms. */
  resolveTimeoutMs?: number;
}

/** A webhook URL whose host was resolved and checked: connect to `address`, and only to it. */
export interface ScreenedWebhookTarget {
  url: URL;
  /** The host name without IPv6 brackets (TLS server name and Host header). */
  hostname: string;
  address: string;
  family: 4 | 6;
}

// Special-purpose ranges: RFC 6890 and the IANA IPv4/IPv6 Special-Purpose Address Registries.
const RANGES: Array<[ForbiddenAddressClass, 'ipv4' | 'ipv6', string, number]> = [
  ['unspecified', 'ipv4', '0.0.0.0', 8], // "this network" (RFC 791); 0.0.0.0 reaches localhost on Linux
  ['private', 'ipv4', '10.0.0.0', 8], // RFC 1918
  ['cgnat', 'ipv4', '100.64.0.0', 10], // RFC 6598 shared address space
  ['loopback', 'ipv4', '127.0.0.0', 8], // RFC 1122
  ['link-local', 'ipv4', '169.254.0.0', 16], // RFC 3927 (cloud metadata services live here)
  ['private', 'ipv4', '172.16.0.0', 12], // RFC 1918
  ['reserved', 'ipv4', '192.0.0.0', 24], // IETF protocol assignments (RFC 6890)
  ['reserved', 'ipv4', '192.0.2.0', 24], // TEST-NET-1 (RFC 5737)
  ['private', 'ipv4', '192.168.0.0', 16], // RFC 1918
  ['reserved', 'ipv4', '198.18.0.0', 15], // benchmarking (RFC 2544)
  ['reserved', 'ipv4', '198.51.100.0', 24], // TEST-NET-2
  ['reserved', 'ipv4', '203.0.113.0', 24], // TEST-NET-3
  ['multicast', 'ipv4', '224.0.0.0', 4], // RFC 5771
  ['reserved', 'ipv4', '240.0.0.0', 4], // RFC 1112, and the broadcast address 255.255.255.255
  ['unspecified', 'ipv6', '::', 128], // RFC 4291 §2.5.2
  ['loopback', 'ipv6', '::1', 128], // RFC 4291 §2.5.3
  ['reserved', 'ipv6', '::', 96], // IPv4-compatible (deprecated, RFC 4291 §2.5.5.1)
  ['reserved', 'ipv6', '100::', 64], // discard-only (RFC 6666)
  ['reserved', 'ipv6', '2001:db8::', 32], // documentation (RFC 3849)
  ['unique-local', 'ipv6', 'fc00::', 7], // RFC 4193
  ['link-local', 'ipv6', 'fe80::', 10], // RFC 4291 §2.5.6
  ['private', 'ipv6', 'fec0::', 10], // site-local (deprecated, RFC 3879): still routed inside sites
  ['multicast', 'ipv6', 'ff00::', 8], // RFC 4291 §2.7
];

const LISTS = new Map<ForbiddenAddressClass, BlockList>();
for (const [kind, family, network, prefix] of RANGES) {
  const list = LISTS.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, family);
  LISTS.set(kind, list);
}
// Checked in this order, so ::1 is loopback before it is "IPv4-compatible".
const ORDER: ForbiddenAddressClass[] = [
  'unspecified',
  'loopback',
  'private',
  'link-local',
  'cgnat',
  'unique-local',
  'multicast',
  'reserved',
];

/**
 * The class that forbids `address` as a webhook target, or undefined for a public address.
 * IPv6 addresses that carry an IPv4 address a host may route to (IPv4-mapped ::ffff:0:0/96, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address: `::ffff:127.0.0.1` is loopback.
 * Anything that is not an IP address is 'reserved' (refused).
 */
export function classifyAddress(address: string): ForbiddenAddressClass | undefined {
  const version = isIP(address);
  if (version === 0) return 'reserved';
  if (version === 6) {
    const embedded = embeddedIpv4(address);
    if (embedded !== undefined) return classifyAddress(embedded);
  }
  const family = version === 4 ? 'ipv4' : 'ipv6';
  return ORDER.find((kind) => LISTS.get(kind)?.check(address, family));
}

/**
 * Checks a relying party's webhook URL and resolves its host: https only (http where allowed), no
 * credentials, no fragment (VALIDATION_FAILED); then every address the host resolves to must be
 * public (WEBHOOK_ADDRESS_FORBIDDEN naming the class), since the connection could go to any of
 * them. Returns the first address, which the caller connects to directly: a second resolution
 * (DNS rebinding) never gets a say. Used when a request names its webhook and again before every
 * delivery attempt.
 */
export async function screenWebhookUrl(
  value: string,
  policy: WebhookAddressPolicy,
): Promise<ScreenedWebhookTarget> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ServerError('VALIDATION_FAILED', 'webhook_url is not a URL');
  }
  const ok = url.protocol === 'https:' || (policy.allowHttp && url.protocol === 'http:');
  if (!ok || url.username || url.password || url.hash) {
    throw new ServerError(
      'VALIDATION_FAILED',
      'webhook_url must be an https URL without credentials or fragment',
    );
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = isIP(hostname);
  const addresses = literal ? [hostname] : await resolveHost(hostname, policy);
  if (addresses.length === 0)
    throw new ServerError('VALIDATION_FAILED', 'webhook_url has a host that does not resolve');
  if (!policy.allowPrivateWebhookAddresses) {
    for (const address of addresses) {
      const kind = classifyAddress(address);
      if (kind) {
        throw new ServerError(
          'WEBHOOK_ADDRESS_FORBIDDEN',
          `webhook_url's host is or resolves to a ${kind} address`,
        );
      }
    }
  }
  const address = addresses[0]!;
  const family = isIP(address);
  if (family !== 4 && family !== 6)
    throw new ServerError('VALIDATION_FAILED', 'webhook_url has a host that does not resolve');
  return { url, hostname, address, family };
}

async function resolveHost(hostname: string, policy: WebhookAddressPolicy): Promise<string[]> {
  const resolve = policy.resolve ?? systemResolver;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('resolution timed out')), policy.resolveTimeoutMs ?? 5000);
  });
  try {
    const addresses = await Promise.race([resolve(hostname), timeout]);
    if (!Array.isArray(addresses) || !addresses.every((a) => typeof a === 'string')) return [];
    return addresses;
  } catch (cause) {
    throw new ServerError('VALIDATION_FAILED', 'webhook_url has a host that does not resolve', { cause });
  } finally {
    clearTimeout(timer);
  }
}

const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** The IPv4 address inside an IPv4-mapped, NAT64 or 6to4 IPv6 address, if it is one of those. */
function embeddedIpv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return undefined;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2)
  if (zero(0, 5) && words[5] === 0xffff) return v4(words[6]!, words[7]!);
  // 64:ff9b::a.b.c.d (RFC 6052 well-known NAT64 prefix)
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6]!, words[7]!);
  // 2002:aabb:ccdd::/48 (6to4, RFC 3056)
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function ipv6Words(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((w) => Number.parseInt(w, 16)));
  const first = parse(head);
  const last = tail === undefined ? [] : parse(tail);
  const fill = 8 - first.length - last.length;
  if (tail === undefined ? fill !== 0 : fill < 0) return undefined;
  const words = [...first, ...Array<number>(Math.max(fill, 0)).fill(0), ...last];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)
    ? words
    : undefined;
}
