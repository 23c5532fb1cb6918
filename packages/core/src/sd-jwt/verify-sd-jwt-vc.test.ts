import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64urlEncode,
  CORE_ERROR_CODES,
  decodeSdJwt,
  type IssueSdJwtVcInput,
  issueSdJwtVc,
  type JsonValue,
  presentSdJwtVc,
  type Signer,
  type StatusResolver,
  signCompactJws,
  TriesteError,
  utf8Encode,
  type VerifySdJwtVcContext,
  type VerifySdJwtVcOptions,
  verifySdJwtVc,
} from '../index.js';
import {
  CLAIMS,
  clock,
  crypto,
  edSigner,
  holderSigner,
  ISS,
  issueCtx,
  issuerSigner,
  NOW,
  otherSigner,
  VCT,
  verifyCtx,
} from './sd-jwt.test-util.js';

const NONCE = 'nonce-7d2a';
const AUD = 'https://verifier.trieste.example';
const STATUS = { uri: 'https://status.trieste.example/lists/1', idx: 42 };
const statusOf = (value: number): StatusResolver => ({ resolve: async () => value });
const ctx: VerifySdJwtVcContext = { ...verifyCtx, status: statusOf(0) };
const bound = { nonce: NONCE, aud: AUD };

// Every presentation we verify and every error we get, for the leak test at the end.
const seenTokens: string[] = [];
const seenErrors: TriesteError[] = [];

async function codeOf(
  presentation: string,
  options: VerifySdJwtVcOptions = bound,
  context = ctx,
): Promise<string> {
  seenTokens.push(presentation);
  try {
    await verifySdJwtVc(presentation, options, context);
    return 'NO_ERROR';
  } catch (error) {
    if (!(error instanceof TriesteError)) throw error;
    seenErrors.push(error);
    return error.code;
  }
}

const b64json = (value: unknown) => base64urlEncode(utf8Encode(JSON.stringify(value)));
const digestOf = (encoded: string) => base64urlEncode(crypto.sha256(utf8Encode(encoded)));
const salt = () => base64urlEncode(crypto.bytes(16));

function disclosure(parts: JsonValue[]): { encoded: string; digest: string } {
  const encoded = b64json(parts);
  return { encoded, digest: digestOf(encoded) };
}

async function credential(overrides: Partial<IssueSdJwtVcInput> = {}): Promise<string> {
  return issueSdJwtVc(
    {
      iss: ISS,
      vct: VCT,
      claims: CLAIMS,
      disclosable: 'all',
      holderKey: holderSigner.publicJwk,
      expiresAt: NOW + 3600,
      status: STATUS,
      ...overrides,
    },
    issueCtx,
  );
}

async function presentation(
  disclose = ['/given_name', '/address'],
  sdJwt?: string,
  holder: Signer = holderSigner,
) {
  return presentSdJwtVc(sdJwt ?? (await credential()), { disclose, ...bound }, { holder, crypto, clock });
}

/** An issuer-signed SD-JWT with a payload and disclosures of the test's choosing. */
async function handMade(
  payload: Record<string, unknown>,
  disclosures: string[] = [],
  header: Record<string, unknown> = { typ: 'dc+sd-jwt' },
): Promise<string> {
  const jws = await signCompactJws(
    header,
    { iss: ISS, vct: VCT, iat: NOW, _sd_alg: 'sha-256', ...payload },
    issuerSigner,
  );
  return `${jws}~${disclosures.map((d) => `${d}~`).join('')}`;
}

/** Appends a KB-JWT signed by `signer`, with a correct sd_hash unless overridden. */
async function withKb(
  sdJwt: string,
  payload: Record<string, unknown> = {},
  signer = holderSigner,
  header = { typ: 'kb+jwt' },
) {
  const kb = await signCompactJws(
    header,
    { iat: NOW, aud: AUD, nonce: NONCE, sd_hash: digestOf(sdJwt), ...payload },
    signer,
    { includeKid: false },
  );
  return sdJwt + kb;
}

const unsigned = (header: unknown, payload: unknown) => `${b64json(header)}.${b64json(payload)}.`;

describe('verifySdJwtVc refuses', () => {
  describe('an input that is not an SD-JWT (MALFORMED)', () => {
    it.each([
      ['empty', ''],
      ['no separator', 'a.b.c'],
      ['not a JWS', 'not-a-jws~'],
      ['JSON garbage', `${b64json('x')}.${b64json({})}.AA~`],
    ])('%s', async (_name, text) => {
      expect(await codeOf(text)).toBe('MALFORMED');
    });

    it('a non-string', async () => {
      expect(await codeOf(42 as unknown as string)).toBe('MALFORMED');
    });

    it('a digest that is not a SHA-256 digest', async () => {
      expect(await codeOf(await handMade({ _sd: ['short'] }), {})).toBe('MALFORMED');
    });

    it('an _sd that is not an array', async () => {
      expect(await codeOf(await handMade({ _sd: 'x' }), {})).toBe('MALFORMED');
    });

    it('an exp that is not a NumericDate', async () => {
      expect(await codeOf(await handMade({ exp: 'tomorrow' }), {})).toBe('MALFORMED');
    });
  });

  describe('a bad issuer signature', () => {
    it('tampered signature (SIGNATURE_INVALID)', async () => {
      const text = await presentation();
      const dot = text.lastIndexOf('.', text.indexOf('~'));
      const flipped = text[dot + 5] === 'A' ? 'B' : 'A';
      expect(await codeOf(text.slice(0, dot + 5) + flipped + text.slice(dot + 6))).toBe('SIGNATURE_INVALID');
    });

    it('tampered payload (SIGNATURE_INVALID)', async () => {
      const text = await credential();
      const [h, p, s] = text.split('~')[0]!.split('.');
      const payload = JSON.parse(new TextDecoder().decode(Buffer.from(p!, 'base64url')));
      payload.exp = NOW + 10 * 365 * 86400;
      expect(await codeOf(`${h}.${b64json(payload)}.${s}~`, {})).toBe('SIGNATURE_INVALID');
    });

    it('alg none (ALG_NOT_ALLOWED)', async () => {
      expect(
        await codeOf(`${unsigned({ alg: 'none', typ: 'dc+sd-jwt' }, { iss: ISS, vct: VCT })}~`, {}),
      ).toBe('ALG_NOT_ALLOWED');
    });

    it('HS256 (ALG_NOT_ALLOWED)', async () => {
      const jws = `${unsigned({ alg: 'HS256', typ: 'dc+sd-jwt', kid: issuerSigner.kid }, { iss: ISS, vct: VCT })}AAAA`;
      expect(await codeOf(`${jws}~`, {})).toBe('ALG_NOT_ALLOWED');
    });

    it('EdDSA header with an ES256 issuer key (ALG_NOT_ALLOWED)', async () => {
      const jws = await signCompactJws(
        { typ: 'dc+sd-jwt', kid: issuerSigner.kid },
        { iss: ISS, vct: VCT },
        edSigner,
        {
          includeKid: false,
        },
      );
      const anyKid = { resolve: async () => issuerSigner.publicJwk };
      expect(await codeOf(`${jws}~`, {}, { ...ctx, issuerKeys: anyKid })).toBe('ALG_NOT_ALLOWED');
    });

    it('an issuer the resolver does not know (ISSUER_UNKNOWN)', async () => {
      const text = await presentation();
      expect(await codeOf(text, bound, { ...ctx, issuerKeys: { resolve: async () => undefined } })).toBe(
        'ISSUER_UNKNOWN',
      );
    });

    it('a resolver that fails (ISSUER_UNKNOWN)', async () => {
      const failing = {
        resolve: async () => {
          throw new Error('trust list down');
        },
      };
      expect(await codeOf(await presentation(), bound, { ...ctx, issuerKeys: failing })).toBe(
        'ISSUER_UNKNOWN',
      );
    });
  });

  describe('a token that is not an SD-JWT VC', () => {
    it('typ JWT (TYP_INVALID)', async () => {
      expect(await codeOf(await handMade({}, [], { typ: 'JWT' }), {})).toBe('TYP_INVALID');
    });

    it('missing typ (TYP_INVALID)', async () => {
      expect(await codeOf(await handMade({}, [], {}), {})).toBe('TYP_INVALID');
    });

    it('another vct than expected (TYP_INVALID)', async () => {
      expect(await codeOf(await presentation(), { ...bound, expectedVct: 'https://other.example/vct' })).toBe(
        'TYP_INVALID',
      );
    });

    it('no vct (CLAIM_MISSING)', async () => {
      expect(await codeOf(await handMade({ vct: undefined }), {})).toBe('CLAIM_MISSING');
    });

    it('no iss (CLAIM_MISSING)', async () => {
      expect(await codeOf(await handMade({ iss: 7 }), {})).toBe('CLAIM_MISSING');
    });

    it('_sd_alg sha-512 (ALG_NOT_ALLOWED)', async () => {
      expect(await codeOf(await handMade({ _sd_alg: 'sha-512' }), {})).toBe('ALG_NOT_ALLOWED');
    });
  });

  describe('disclosures that do not fit the payload', () => {
    it('a modified disclosure: its digest is no longer referenced (DISCLOSURE_UNREFERENCED)', async () => {
      const text = await presentation(['/given_name']);
      const decoded = decodeSdJwt(text);
      const original = decoded.disclosures[0]!;
      const forged = b64json([original.salt, original.name!, 'Mallory']);
      expect(await codeOf(text.replace(original.encoded, forged), {})).toBe('DISCLOSURE_UNREFERENCED');
    });

    it('a disclosure from another credential (DISCLOSURE_UNREFERENCED)', async () => {
      const foreign = decodeSdJwt(await credential()).disclosures[0]!.encoded;
      const text = await presentSdJwtVc(await credential(), { disclose: ['/given_name'] }, { crypto, clock });
      expect(await codeOf(`${text}${foreign}~`, {})).toBe('DISCLOSURE_UNREFERENCED');
    });

    it('the same disclosure twice (DISCLOSURE_DUPLICATE)', async () => {
      const text = await presentSdJwtVc(await credential(), { disclose: ['/given_name'] }, { crypto, clock });
      const d = decodeSdJwt(text).disclosures[0]!.encoded;
      expect(await codeOf(`${text}${d}~`, {})).toBe('DISCLOSURE_DUPLICATE');
    });

    it('the same digest twice in the payload (DISCLOSURE_DUPLICATE)', async () => {
      const d = disclosure([salt(), 'given_name', 'x']);
      expect(
        await codeOf(await handMade({ _sd: [d.digest], nested: { _sd: [d.digest] } }, [d.encoded]), {}),
      ).toBe('DISCLOSURE_DUPLICATE');
      expect(await codeOf(await handMade({ _sd: [d.digest, d.digest] }, []), {})).toBe(
        'DISCLOSURE_DUPLICATE',
      );
    });

    it('a disclosure that would overwrite a claim (DISCLOSURE_DUPLICATE)', async () => {
      const d = disclosure([salt(), 'given_name', 'Mallory']);
      expect(await codeOf(await handMade({ given_name: 'Ottavia', _sd: [d.digest] }, [d.encoded]), {})).toBe(
        'DISCLOSURE_DUPLICATE',
      );
    });

    it('an array element disclosure referenced from _sd (DISCLOSURE_DIGEST_MISMATCH)', async () => {
      const d = disclosure([salt(), 'x']);
      expect(await codeOf(await handMade({ _sd: [d.digest] }, [d.encoded]), {})).toBe(
        'DISCLOSURE_DIGEST_MISMATCH',
      );
    });

    it('an object member disclosure referenced from an array (DISCLOSURE_DIGEST_MISMATCH)', async () => {
      const d = disclosure([salt(), 'name', 'x']);
      expect(await codeOf(await handMade({ list: [{ '...': d.digest }] }, [d.encoded]), {})).toBe(
        'DISCLOSURE_DIGEST_MISMATCH',
      );
    });

    it.each([
      ['not base64url', '***'],
      ['not JSON', base64urlEncode(utf8Encode('{not json'))],
      ['not an array', b64json({ a: 1 })],
      ['four elements', b64json(['s', 'n', 'v', 'w'])],
      ['a salt that is not a string', b64json([1, 'n', 'v'])],
      ['a name that is not a string', b64json(['s', 1, 'v'])],
      ['the name _sd', b64json(['s', '_sd', ['x']])],
      ['the name ...', b64json(['s', '...', 'x'])],
    ])('a disclosure that is %s (DISCLOSURE_MALFORMED)', async (_name, encoded) => {
      expect(await codeOf(await handMade({}, [encoded]), {})).toBe('DISCLOSURE_MALFORMED');
    });

    it('an empty disclosure (DISCLOSURE_MALFORMED)', async () => {
      expect(await codeOf(`${(await handMade({})).slice(0, -1)}~~`, {})).toBe('DISCLOSURE_MALFORMED');
    });
  });

  describe('a credential outside its validity period', () => {
    it('expired (CREDENTIAL_EXPIRED)', async () => {
      expect(await codeOf(await presentation(), { ...bound, now: NOW + 3600 + 61 })).toBe(
        'CREDENTIAL_EXPIRED',
      );
    });

    it('nbf in the future beyond the skew (CREDENTIAL_NOT_YET_VALID)', async () => {
      const text = await presentation(['/given_name'], await credential({ notBefore: NOW + 120 }));
      expect(await codeOf(text)).toBe('CREDENTIAL_NOT_YET_VALID');
    });

    it('iat in the future beyond the skew (CREDENTIAL_NOT_YET_VALID)', async () => {
      const text = await presentation(['/given_name'], await credential({ issuedAt: NOW + 120 }));
      expect(await codeOf(text)).toBe('CREDENTIAL_NOT_YET_VALID');
    });
  });

  describe('missing or bad key binding', () => {
    it('no KB-JWT when a nonce is expected (KB_MISSING)', async () => {
      const text = await presentSdJwtVc(await credential(), { disclose: ['/given_name'] }, { crypto, clock });
      expect(await codeOf(text)).toBe('KB_MISSING');
      expect(await codeOf(text, { requireKeyBinding: true })).toBe('KB_MISSING');
    });

    it('a credential without cnf when key binding is required (HOLDER_KEY_MISSING)', async () => {
      const sdJwt = await credential({ holderKey: undefined });
      const text = await presentSdJwtVc(sdJwt, { disclose: [] }, { crypto, clock });
      expect(await codeOf(text)).toBe('HOLDER_KEY_MISSING');
      expect(await codeOf(await withKb(text), {})).toBe('HOLDER_KEY_MISSING');
    });

    it('a KB-JWT signed with another key (KB_SIGNATURE_INVALID)', async () => {
      const text = await presentSdJwtVc(await credential(), { disclose: ['/given_name'] }, { crypto, clock });
      expect(await codeOf(await withKb(text, {}, otherSigner))).toBe('KB_SIGNATURE_INVALID');
    });

    it('a KB-JWT with alg none or another key type (ALG_NOT_ALLOWED)', async () => {
      const text = await presentSdJwtVc(await credential(), { disclose: [] }, { crypto, clock });
      expect(await codeOf(text + unsigned({ alg: 'none', typ: 'kb+jwt' }, { iat: NOW }))).toBe(
        'ALG_NOT_ALLOWED',
      );
      expect(await codeOf(await withKb(text, {}, edSigner))).toBe('ALG_NOT_ALLOWED');
    });

    it('a KB-JWT that is not a KB-JWT (KB_MALFORMED)', async () => {
      const text = await presentSdJwtVc(await credential(), { disclose: [] }, { crypto, clock });
      expect(await codeOf(`${text}garbage`)).toBe('KB_MALFORMED');
      expect(await codeOf(await withKb(text, {}, holderSigner, { typ: 'JWT' }))).toBe('KB_MALFORMED');
      expect(await codeOf(await withKb(text, { sd_hash: undefined }))).toBe('KB_MALFORMED');
      expect(await codeOf(await withKb(text, { iat: 'now' }))).toBe('KB_MALFORMED');
    });

    it('a wrong nonce (KB_NONCE_MISMATCH)', async () => {
      expect(await codeOf(await presentation(), { ...bound, nonce: 'another-nonce' })).toBe(
        'KB_NONCE_MISMATCH',
      );
    });

    it('a wrong audience (KB_AUDIENCE_MISMATCH)', async () => {
      expect(await codeOf(await presentation(), { ...bound, aud: 'https://evil.example' })).toBe(
        'KB_AUDIENCE_MISMATCH',
      );
    });

    it('a disclosure removed after key binding (KB_SD_HASH_MISMATCH)', async () => {
      const text = await presentation(['/given_name', '/family_name']);
      const parts = text.split('~');
      parts.splice(1, 1);
      expect(await codeOf(parts.join('~'))).toBe('KB_SD_HASH_MISMATCH');
    });

    it('an sd_hash over something else (KB_SD_HASH_MISMATCH)', async () => {
      const text = await presentSdJwtVc(await credential(), { disclose: [] }, { crypto, clock });
      expect(await codeOf(await withKb(text, { sd_hash: digestOf('other') }))).toBe('KB_SD_HASH_MISMATCH');
    });

    it('a KB-JWT older than kbMaxAgeSeconds (KB_STALE)', async () => {
      expect(await codeOf(await presentation(), { ...bound, now: NOW + 300 + 61 })).toBe('KB_STALE');
      expect(await codeOf(await presentation(), { ...bound, now: NOW + 100, kbMaxAgeSeconds: 30 })).toBe(
        'KB_STALE',
      );
    });

    it('a KB-JWT from the future (KB_STALE)', async () => {
      const text = await presentSdJwtVc(await credential(), { disclose: [] }, { crypto, clock });
      expect(await codeOf(await withKb(text, { iat: NOW + 120 }))).toBe('KB_STALE');
    });
  });

  describe('a credential whose status is not valid', () => {
    it('revoked: status 1, INVALID (STATUS_REVOKED)', async () => {
      expect(await codeOf(await presentation(), bound, { ...ctx, status: statusOf(1) })).toBe(
        'STATUS_REVOKED',
      );
    });

    it('suspended: status 2 (STATUS_SUSPENDED)', async () => {
      expect(await codeOf(await presentation(), bound, { ...ctx, status: statusOf(2) })).toBe(
        'STATUS_SUSPENDED',
      );
    });

    it('no resolver (STATUS_UNAVAILABLE)', async () => {
      expect(await codeOf(await presentation(), bound, verifyCtx)).toBe('STATUS_UNAVAILABLE');
    });

    it('a resolver that fails (STATUS_UNAVAILABLE)', async () => {
      const failing: StatusResolver = {
        resolve: async () => {
          throw new TriesteError('STATUS_UNAVAILABLE', 'list expired');
        },
      };
      const crashing: StatusResolver = {
        resolve: async () => {
          throw new Error('socket hang up');
        },
      };
      expect(await codeOf(await presentation(), bound, { ...ctx, status: failing })).toBe(
        'STATUS_UNAVAILABLE',
      );
      expect(await codeOf(await presentation(), bound, { ...ctx, status: crashing })).toBe(
        'STATUS_UNAVAILABLE',
      );
    });
  });

  it('options of the wrong type with a TypeError (a caller bug, not hostile input)', async () => {
    const text = await presentation();
    await expect(verifySdJwtVc(text, { nonce: 7 as unknown as string }, ctx)).rejects.toThrow(TypeError);
    await expect(verifySdJwtVc(text, { clockSkewSeconds: -1 }, ctx)).rejects.toThrow(TypeError);
  });
});

describe('verifySdJwtVc accepts', () => {
  it('a key-bound presentation and reports what was disclosed and checked', async () => {
    const text = await presentation(['/given_name', '/address/locality']);
    const result = await verifySdJwtVc(text, bound, { ...ctx, status: statusOf(3) });
    expect(result).toEqual({
      issuer: ISS,
      vct: VCT,
      kid: issuerSigner.kid,
      claims: { given_name: 'Ottavia-Secret', address: { locality: 'Trieste-Secret' } },
      issuedAt: NOW,
      expiresAt: NOW + 3600,
      holderKey: holderSigner.publicJwk,
      keyBound: true,
      status: { ...STATUS, value: 3 },
    });
  });

  it('a presentation without key binding when none is required', async () => {
    const text = await presentSdJwtVc(await credential(), { disclose: ['/age_over_18'] }, { crypto, clock });
    const result = await verifySdJwtVc(text, {}, ctx);
    expect(result.keyBound).toBe(false);
    expect(result.claims).toEqual({ age_over_18: true });
  });

  it('the legacy typ vc+sd-jwt, _sd_alg absent (sha-256 by default), and times within the skew', async () => {
    const d = disclosure([salt(), 'given_name', 'Ottavia']);
    const text = await handMade(
      { _sd_alg: undefined, _sd: [d.digest], nbf: NOW + 30, exp: NOW - 30 },
      [d.encoded],
      {
        typ: 'vc+sd-jwt',
      },
    );
    const result = await verifySdJwtVc(text, {}, ctx);
    expect(result.claims).toEqual({ given_name: 'Ottavia' });
  });

  it('a status reference without looking it up when checkStatus is false', async () => {
    const result = await verifySdJwtVc(await presentation(), { ...bound, checkStatus: false }, verifyCtx);
    expect(result.status).toBeUndefined();
  });

  it('a disclosed claim named __proto__ as data, not as a prototype', async () => {
    const d = disclosure([salt(), '__proto__', { polluted: true }]);
    const result = await verifySdJwtVc(await handMade({ _sd: [d.digest] }, [d.encoded]), {}, ctx);
    expect(Object.getPrototypeOf(result.claims)).toBe(Object.prototype);
    expect(Object.hasOwn(result.claims, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('hostile input', () => {
  const isCoded = (error: unknown) => error instanceof TriesteError && CORE_ERROR_CODES.includes(error.code);

  it('random mutations of a valid presentation never produce an uncoded error', async () => {
    const valid = await presentation(['/given_name', '/address', '/nationalities/0']);
    const segments = valid.split('~');
    const mutation = fc.oneof(
      fc
        .record({ at: fc.nat(), cut: fc.nat({ max: 40 }), insert: fc.string({ maxLength: 8 }) })
        .map(({ at, cut, insert }) => (text: string) => {
          const i = at % (text.length + 1);
          return text.slice(0, i) + insert + text.slice(i + cut);
        }),
      fc.record({ at: fc.nat(), json: fc.jsonValue() }).map(({ at, json }) => (text: string) => {
        const parts = text.split('~');
        parts[at % parts.length] = b64json(json);
        return parts.join('~');
      }),
      fc.record({ from: fc.nat(), to: fc.nat() }).map(({ from, to }) => (text: string) => {
        const parts = text.split('~');
        parts.splice(to % parts.length, 0, parts[from % parts.length]!);
        return parts.join('~');
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const mutated = mutations.reduce((text, mutate) => mutate(text), segments.join('~'));
        seenTokens.push(mutated);
        try {
          await verifySdJwtVc(mutated, bound, ctx);
        } catch (error) {
          if (error instanceof TriesteError) seenErrors.push(error);
          return isCoded(error);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('validly signed but structurally hostile payloads and disclosures never produce an uncoded error', async () => {
    const hostileValue = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.array(fc.string({ minLength: 43, maxLength: 43 })),
      fc.constant([{ '...': 'x' }]),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('_sd', 'cnf', 'status', 'exp', 'iat', 'nbf', 'list', '...', '__proto__'),
          hostileValue,
        ),
        fc.array(
          fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            fc.tuple(fc.string(), fc.string(), fc.jsonValue({ maxDepth: 2 })),
          ),
        ),
        async (payload, parts) => {
          const text = await handMade(
            payload,
            parts.map((part) => b64json(part)),
          );
          try {
            await verifySdJwtVc(text, {}, ctx);
          } catch (error) {
            if (error instanceof TriesteError) seenErrors.push(error);
            return isCoded(error);
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('no error message contains a claim value, salt, disclosure or token fragment', () => {
    expect(seenErrors.length).toBeGreaterThan(50);
    const secrets: string[] = [];
    const collect = (value: JsonValue) => {
      if (typeof value === 'string') secrets.push(value);
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(CLAIMS);
    for (const token of seenTokens) {
      if (typeof token !== 'string') continue;
      secrets.push(...token.split(/[~.]/).filter((part) => part.length >= 8));
      try {
        for (const d of decodeSdJwt(token).disclosures) secrets.push(d.salt, d.encoded);
      } catch {
        // mutated beyond decoding: its parts are already collected above
      }
    }
    // Messages are fixed strings, so a handful of distinct ones; compare those, not every error.
    const messages = [...new Set(seenErrors.map((error) => error.message))];
    const unique = [...new Set(secrets)];
    const leaks = messages.filter((message) =>
      unique.some((value) => value.length >= 6 && message.includes(value)),
    );
    const windows = new Set(
      messages.flatMap((m) =>
        Array.from({ length: Math.max(0, m.length - 11) }, (_, i) => m.slice(i, i + 12)),
      ),
    );
    for (const value of unique) {
      for (let i = 0; i + 12 <= value.length; i++)
        if (windows.has(value.slice(i, i + 12))) leaks.push(value.slice(i, i + 12));
    }
    expect(leaks).toEqual([]);
  });
});
