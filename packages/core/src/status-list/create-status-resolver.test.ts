import { beforeAll, describe, expect, it } from 'vitest';
import { isTriesteError, type TriesteError } from '../errors.js';
import type { StatusResolver } from '../ports.js';
import { createStatusResolver, type StatusResolverOptions } from './create-status-resolver.js';
import { signStatusListToken } from './sign-status-list-token.js';
import { STATUS, StatusList } from './status-list.js';
import { crypto, keysFor, newKey, type TestKey } from './test-keys.test-util.js';

const NOW = 1_780_000_000;
const ISS = 'https://issuer.example';
const URI = 'https://issuer.example/status/1';
let key: TestKey;
let otherKey: TestKey;

beforeAll(async () => {
  [key, otherKey] = await Promise.all([newKey('ES256'), newKey('EdDSA')]);
});

function statusList(): StatusList {
  const list = new StatusList(1024, 2);
  list.set(7, STATUS.INVALID);
  list.set(8, STATUS.SUSPENDED);
  return list;
}

function token(
  options: { iat?: number; exp?: number; ttl?: number | null; sub?: string; signer?: TestKey } = {},
) {
  return signStatusListToken(
    {
      sub: options.sub ?? URI,
      list: statusList(),
      issuedAt: options.iat ?? NOW,
      expiresAt: options.exp ?? NOW + 86_400,
      ...(options.ttl === null ? {} : { ttl: options.ttl ?? 600 }),
    },
    { signer: (options.signer ?? key).signer },
  );
}

/** A fetcher over a fixed set of tokens that counts its calls. */
function fetcher(tokens: Record<string, string | Promise<string> | Error>) {
  const calls: string[] = [];
  const fetch = async (uri: string) => {
    calls.push(uri);
    const t = tokens[uri];
    if (t === undefined) throw new Error('404');
    if (t instanceof Error) throw t;
    return t;
  };
  return { fetch, calls };
}

function resolver(fetch: (uri: string) => Promise<string>, overrides: Partial<StatusResolverOptions> = {}) {
  return createStatusResolver({
    fetchStatusListToken: fetch,
    issuerKeys: keysFor({ [ISS]: key.publicJwk, 'https://other.example': otherKey.publicJwk }),
    crypto,
    ...overrides,
  });
}

async function failure(r: StatusResolver, reference: { uri: string; idx: number; iss: string }, now = NOW) {
  try {
    await r.resolve(reference, now);
  } catch (error) {
    if (!isTriesteError(error)) throw error;
    return error as TriesteError & { cause?: unknown };
  }
  throw new Error('resolve did not fail');
}

const causeCode = (error: { cause?: unknown }) =>
  isTriesteError(error.cause) ? error.cause.code : undefined;

describe('createStatusResolver: every failure is STATUS_UNAVAILABLE, with the cause kept', () => {
  it('when the fetch fails or returns no text', async () => {
    const down = new Error('connection refused');
    const error = await failure(resolver(fetcher({ [URI]: down }).fetch), { uri: URI, idx: 7, iss: ISS });
    expect(error.code).toBe('STATUS_UNAVAILABLE');
    expect(error.cause).toBe(down);
    const notText = await failure(
      resolver(async () => 42 as unknown as string),
      { uri: URI, idx: 7, iss: ISS },
    );
    expect(notText.code).toBe('STATUS_UNAVAILABLE');
  });

  it('when the list is signed by a key the credential issuer is not trusted to use', async () => {
    const { fetch } = fetcher({ [URI]: await token({ signer: otherKey }) });
    const error = await failure(resolver(fetch), { uri: URI, idx: 7, iss: ISS });
    expect(error.code).toBe('STATUS_UNAVAILABLE');
    expect(causeCode(error)).toBe('ALG_NOT_ALLOWED'); // an Ed25519 token against the issuer's EC key
    const unknown = await failure(resolver(fetch), { uri: URI, idx: 7, iss: 'https://stranger.example' });
    expect(causeCode(unknown)).toBe('ISSUER_UNKNOWN');
  });

  it('when the served list is for another URI, expired, or malformed', async () => {
    const cases: Array<[string, string]> = [
      [await token({ sub: 'https://issuer.example/status/2' }), 'STATUS_UNAVAILABLE'],
      [await token({ iat: NOW - 7200, exp: NOW - 3600 }), 'STATUS_UNAVAILABLE'],
      ['not-a-jwt', 'MALFORMED'],
    ];
    for (const [served, cause] of cases) {
      const error = await failure(resolver(fetcher({ [URI]: served }).fetch), { uri: URI, idx: 7, iss: ISS });
      expect(error.code).toBe('STATUS_UNAVAILABLE');
      expect(causeCode(error)).toBe(cause);
    }
  });

  it('when the index is not in the list (§8.3: fail if out of bounds)', async () => {
    const r = resolver(fetcher({ [URI]: await token() }).fetch);
    for (const idx of [1024, -1, 1.5]) {
      const error = await failure(r, { uri: URI, idx, iss: ISS });
      expect(error.code).toBe('STATUS_UNAVAILABLE');
      expect(causeCode(error)).toBe('STATUS_INDEX_OUT_OF_RANGE');
    }
  });

  it('when the reference has no usable uri or issuer', async () => {
    const r = resolver(fetcher({}).fetch);
    for (const reference of [
      null,
      { uri: '', idx: 0, iss: ISS },
      { uri: URI, idx: 0 },
      { uri: 7, idx: 0, iss: ISS },
    ]) {
      expect((await failure(r, reference as never)).code).toBe('STATUS_UNAVAILABLE');
    }
  });

  it('puts neither the token nor the URI in any message', async () => {
    const served = await token({ sub: 'https://issuer.example/status/2' });
    const error = await failure(resolver(fetcher({ [URI]: served }).fetch), { uri: URI, idx: 7, iss: ISS });
    for (const message of [error.message, (error.cause as Error).message]) {
      expect(message).not.toContain(served.slice(0, 20));
      expect(message).not.toContain('issuer.example');
    }
  });

  it('treats bad options as caller bugs (TypeError)', () => {
    const fetch = fetcher({}).fetch;
    const bad: Array<Partial<StatusResolverOptions>> = [
      { fetchStatusListToken: undefined as never },
      { issuerKeys: {} as never },
      { crypto: {} as never },
      { clockSkewSeconds: -1 },
      { maxCacheEntries: -1 },
      { minTtlSeconds: 100, maxTtlSeconds: 10 },
      { defaultTtlSeconds: Number.NaN },
    ];
    for (const override of bad) expect(() => resolver(fetch, override)).toThrow(TypeError);
  });
});

describe('createStatusResolver: statuses and caching', () => {
  it('returns the status at the index', async () => {
    const r = resolver(fetcher({ [URI]: await token() }).fetch);
    expect(await r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW)).toBe(STATUS.INVALID);
    expect(await r.resolve({ uri: URI, idx: 8, iss: ISS }, NOW)).toBe(STATUS.SUSPENDED);
    expect(await r.resolve({ uri: URI, idx: 9, iss: ISS }, NOW)).toBe(STATUS.VALID);
  });

  it('caches the list for its ttl, then fetches again', async () => {
    const f = fetcher({ [URI]: await token({ ttl: 600 }) });
    const r = resolver(f.fetch);
    for (const t of [NOW, NOW + 1, NOW + 599]) await r.resolve({ uri: URI, idx: 7, iss: ISS }, t);
    expect(f.calls.length).toBe(1);
    await r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW + 600);
    expect(f.calls.length).toBe(2);
  });

  it('never caches past exp, whatever the ttl', async () => {
    const f = fetcher({ [URI]: await token({ ttl: 3600, exp: NOW + 100 }) });
    const r = resolver(f.fetch);
    await r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW);
    await r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW + 100);
    expect(f.calls.length).toBe(2);
  });

  it('bounds an issuer-chosen ttl (§11 "Expiration and Caching"), and uses a default without one', async () => {
    const tiny = fetcher({ [URI]: await token({ ttl: 1 }) });
    const r1 = resolver(tiny.fetch, { minTtlSeconds: 30 });
    await r1.resolve({ uri: URI, idx: 7, iss: ISS }, NOW);
    await r1.resolve({ uri: URI, idx: 7, iss: ISS }, NOW + 29);
    expect(tiny.calls.length).toBe(1);

    const huge = fetcher({ [URI]: await token({ ttl: 10 ** 9, exp: NOW + 10 ** 9 }) });
    const r2 = resolver(huge.fetch, { maxTtlSeconds: 3600 });
    await r2.resolve({ uri: URI, idx: 7, iss: ISS }, NOW);
    await r2.resolve({ uri: URI, idx: 7, iss: ISS }, NOW + 3600);
    expect(huge.calls.length).toBe(2);

    const none = fetcher({ [URI]: await token({ ttl: null }) });
    const r3 = resolver(none.fetch, { defaultTtlSeconds: 120 });
    await r3.resolve({ uri: URI, idx: 7, iss: ISS }, NOW);
    await r3.resolve({ uri: URI, idx: 7, iss: ISS }, NOW + 119);
    await r3.resolve({ uri: URI, idx: 7, iss: ISS }, NOW + 120);
    expect(none.calls.length).toBe(2);
  });

  it('does not answer from the cache for a time before the cached list was issued', async () => {
    const f = fetcher({ [URI]: await token({ iat: NOW }) });
    const r = resolver(f.fetch);
    await r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW);
    const error = await failure(r, { uri: URI, idx: 7, iss: ISS }, NOW - 3600);
    expect(causeCode(error)).toBe('STATUS_UNAVAILABLE'); // refetched, and that list is from the future
    expect(f.calls.length).toBe(2);
  });

  it('keeps lists apart per issuer: a list verified for one issuer never answers for another', async () => {
    const f = fetcher({ [URI]: await token() });
    const r = resolver(f.fetch);
    expect(await r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW)).toBe(STATUS.INVALID);
    const error = await failure(r, { uri: URI, idx: 7, iss: 'https://other.example' });
    expect(causeCode(error)).toBe('ALG_NOT_ALLOWED');
    expect(f.calls.length).toBe(2);
  });

  it('shares one fetch between concurrent look-ups of the same list', async () => {
    let release!: (value: string) => void;
    const pending = new Promise<string>((resolve) => {
      release = resolve;
    });
    const f = fetcher({ [URI]: pending });
    const r = resolver(f.fetch);
    const lookups = [7, 8, 9, 7].map((idx) => r.resolve({ uri: URI, idx, iss: ISS }, NOW));
    release(await token());
    expect(await Promise.all(lookups)).toEqual([1, 2, 0, 1]);
    expect(f.calls.length).toBe(1);
  });

  it('refuses, for a look-up that joined a fetch, a time the fetched list does not cover', async () => {
    let release!: (value: string) => void;
    const f = fetcher({ [URI]: new Promise<string>((resolve) => (release = resolve)) });
    const r = resolver(f.fetch);
    const current = r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW);
    const past = failure(r, { uri: URI, idx: 7, iss: ISS }, NOW - 3600);
    release(await token({ iat: NOW }));
    expect(await current).toBe(STATUS.INVALID);
    expect((await past).code).toBe('STATUS_UNAVAILABLE');
    expect(f.calls.length).toBe(1);
  });

  it('forgets a failed fetch, so the next look-up tries again', async () => {
    const tokens: Record<string, string | Error> = { [URI]: new Error('timeout') };
    const f = fetcher(tokens);
    const r = resolver(f.fetch);
    await failure(r, { uri: URI, idx: 7, iss: ISS });
    tokens[URI] = await token();
    expect(await r.resolve({ uri: URI, idx: 7, iss: ISS }, NOW)).toBe(STATUS.INVALID);
  });

  it('holds at most maxCacheEntries lists, and none with 0', async () => {
    const uri2 = 'https://issuer.example/status/2';
    const f = fetcher({ [URI]: await token(), [uri2]: await token({ sub: uri2 }) });
    const r = resolver(f.fetch, { maxCacheEntries: 1 });
    for (const uri of [URI, uri2, URI, uri2]) await r.resolve({ uri, idx: 7, iss: ISS }, NOW);
    expect(f.calls.length).toBe(4);

    const g = fetcher({ [URI]: await token() });
    const r0 = resolver(g.fetch, { maxCacheEntries: 0 });
    for (let i = 0; i < 3; i++) await r0.resolve({ uri: URI, idx: 7, iss: ISS }, NOW);
    expect(g.calls.length).toBe(3);
  });

  // Speed is measured in `npm run bench`, not asserted here: this checks the cache is what answers.
  it('answers repeated look-ups from the cache with one fetch', async () => {
    const f = fetcher({ [URI]: await token() });
    const r = resolver(f.fetch);
    for (let i = 0; i < 10_000; i++) await r.resolve({ uri: URI, idx: i % 1024, iss: ISS }, NOW);
    expect(f.calls.length).toBe(1);
  });
});
