// An independent OpenID4VP wallet for the tests: @openid4vc/openid4vp (client side: parse the link,
// fetch and verify the signed request object, build and submit the response), @sd-jwt/sd-jwt-vc
// (selective disclosure and the KB-JWT) and jose (did:jwk signature check, JWE). None of our
// server's code paths: if the verifier misreads the specifications, this wallet disagrees.
import { createHash } from 'node:crypto';
import type { CallbackContext, Jwk } from '@openid4vc/oauth2';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { setGlobalConfig } from '@openid4vc/utils';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { FastifyInstance } from 'fastify';
import { CompactEncrypt, compactVerify, decodeProtectedHeader, importJWK } from 'jose';

// The tests run on http (inject and loopback): tests and demo only (STACK.md).
setGlobalConfig({ allowInsecureUrls: true });

/** A fetch that answers through app.inject(), so the wallet talks to the app without a socket. */
export function injectFetch(app: FastifyInstance): typeof globalThis.fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const response = await app.inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(init?.body === undefined || init.body === null ? {} : { payload: String(init.body) }),
    });
    return new Response(response.statusCode === 204 ? null : response.rawPayload, {
      status: response.statusCode,
      headers: response.headers as Record<string, string>,
    });
  };
}

/** did:jwk resolution (the DID method spec): the key is the base64url JSON in the identifier. */
function resolveDidJwk(didUrl: string): Jwk {
  const did = didUrl.split('#')[0]!;
  if (!did.startsWith('did:jwk:')) throw new Error('wallet resolves did:jwk only');
  return JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as Jwk;
}

export interface Holder {
  publicJwk: JsonWebKey;
  sdJwt: SDJwtVcInstance;
}

export async function createHolder(): Promise<Holder> {
  const keys = await ES256.generateKeyPair();
  const { key_ops: _ops, ext: _ext, ...publicJwk } = keys.publicKey as JsonWebKey & { key_ops?: unknown };
  const sdJwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    kbSigner: await ES256.getSigner(keys.privateKey),
    kbSignAlg: 'ES256',
  });
  return { publicJwk, sdJwt };
}

export interface WalletAnswer {
  /** Which claims to disclose (an @sd-jwt presentation frame). */
  frame: Record<string, unknown>;
  /** Overrides of the KB-JWT payload (wrong nonce, wrong aud, stale iat). */
  kb?: { nonce?: string; aud?: string; iat?: number };
  /** Credential query id the presentation answers (default: the first of the query). */
  queryId?: string;
  /** Flip a byte of the JWE before sending. */
  tamperJwe?: boolean;
  /**
   * transaction_data_hashes for the KB-JWT (OpenID4VP 1.0 §8.4). Default: what an honest wallet
   * writes, base64url(SHA-256) of each request transaction_data string naming the answered query,
   * in request order, with `transaction_data_hashes_alg: "sha-256"`. `null`: none at all; an array:
   * hashes over these strings instead (another request's transaction data); `{ hashes }`: these
   * literal values.
   */
  transactionData?: null | string[] | { hashes: string[] };
}

export interface WalletRun {
  status: number;
  body: unknown;
  /** What the wallet learned from the request object. */
  request: {
    clientId: string;
    effectiveClientId: string;
    nonce: string;
    responseMode: string;
    purpose?: unknown;
    /** The request object's transaction_data strings, if any. */
    transactionData?: string[];
  };
  /** The exact form body posted (for replay tests). */
  posted: string;
}

/**
 * Scans `link` (openid4vp://…), resolves and verifies the request, presents `credential` with a
 * KB-JWT and submits the response to the response_uri.
 */
export async function answerRequest(
  link: string,
  credential: string,
  holder: Holder,
  answer: WalletAnswer,
  options: { fetch: typeof globalThis.fetch; now: number },
): Promise<WalletRun> {
  let posted = '';
  const recordingFetch: typeof globalThis.fetch = async (input, init) => {
    if (init?.method === 'POST') {
      let body = String(init.body);
      if (answer.tamperJwe) {
        const form = new URLSearchParams(body);
        const jwe = form.get('response')!;
        const parts = jwe.split('.');
        const ciphertext = Buffer.from(parts[3]!, 'base64url');
        ciphertext[0] = ciphertext[0]! ^ 1;
        parts[3] = ciphertext.toString('base64url');
        form.set('response', parts.join('.'));
        body = form.toString();
      }
      posted = body;
      return options.fetch(input, { ...init, body });
    }
    return options.fetch(input, init);
  };
  const callbacks: Omit<CallbackContext, 'generateRandom' | 'clientAuthentication'> = {
    fetch: recordingFetch,
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
    async verifyJwt(signer, jwt) {
      if (signer.method !== 'did') return { verified: false };
      const jwk = resolveDidJwk(signer.didUrl);
      try {
        await compactVerify(jwt.compact, await importJWK(jwk as JsonWebKey, signer.alg), {
          algorithms: ['ES256'],
        });
        return { verified: true, signerJwk: jwk };
      } catch {
        return { verified: false };
      }
    },
    async encryptJwe(encryptor, data) {
      const key = await importJWK(encryptor.publicJwk as JsonWebKey, 'ECDH-ES');
      const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
        .setProtectedHeader({
          alg: 'ECDH-ES',
          enc: encryptor.enc,
          ...(encryptor.publicJwk.kid ? { kid: encryptor.publicJwk.kid } : {}),
        })
        .encrypt(key);
      return { encryptionJwk: encryptor.publicJwk, jwe };
    },
    signJwt: async () => {
      throw new Error('this wallet signs no JWT through the library');
    },
    decryptJwe: async () => ({ decrypted: false }),
  } as unknown as Omit<CallbackContext, 'generateRandom' | 'clientAuthentication'>;
  const client = new Openid4vpClient({ callbacks });
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params as never,
  });
  const request = resolved.authorizationRequestPayload as Record<string, unknown> & {
    nonce: string;
    client_id: string;
    response_mode: string;
    response_uri: string;
    dcql_query: { credentials: Array<{ id: string }>; credential_sets?: Array<{ purpose?: unknown }> };
  };
  // The KB-JWT audience is the client_id with its prefix (OpenID4VP 1.0 §B.3.6): the library's
  // "effective" client id.
  const queryId = answer.queryId ?? request.dcql_query.credentials[0]!.id;
  const requested = request['transaction_data'] as string[] | undefined;
  const sha256 = (text: string) => createHash('sha256').update(text, 'ascii').digest('base64url');
  const hashes =
    answer.transactionData === null
      ? undefined
      : Array.isArray(answer.transactionData)
        ? answer.transactionData.map(sha256)
        : answer.transactionData !== undefined
          ? answer.transactionData.hashes
          : requested
              ?.filter((entry) =>
                (
                  JSON.parse(Buffer.from(entry, 'base64url').toString('utf8')) as { credential_ids: string[] }
                ).credential_ids.includes(queryId),
              )
              .map(sha256);
  const presentation = await holder.sdJwt.present(credential, answer.frame as never, {
    kb: {
      payload: {
        iat: answer.kb?.iat ?? options.now,
        aud: answer.kb?.aud ?? resolved.client.effective,
        nonce: answer.kb?.nonce ?? request.nonce,
        // @sd-jwt/sd-jwt-vc signs any extra KB-JWT payload member as given.
        ...(hashes === undefined || hashes.length === 0
          ? {}
          : { transaction_data_hashes: hashes, transaction_data_hashes_alg: 'sha-256' }),
      } as never,
    },
  });
  const jarm = request.response_mode === 'direct_post.jwt';
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request as never,
    authorizationResponsePayload: { vp_token: { [queryId]: [presentation] } } as never,
    ...(jarm
      ? {
          jarm: {
            encryption: { nonce: request.nonce },
            serverMetadata: {
              authorization_signing_alg_values_supported: ['ES256'],
              authorization_encryption_alg_values_supported: ['ECDH-ES'],
              authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'],
            },
          },
        }
      : {}),
  });
  const submitted = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request as never,
    authorizationResponsePayload: response.authorizationResponsePayload,
    ...(response.jarm ? { jarm: { responseJwt: response.jarm.responseJwt } } : {}),
  });
  const text = await submitted.response.text();
  if (jarm && response.jarm) {
    // The response really was encrypted to the request's key.
    if (decodeProtectedHeader(response.jarm.responseJwt).alg !== 'ECDH-ES') throw new Error('not ECDH-ES');
  }
  return {
    status: submitted.response.status,
    body: text ? JSON.parse(text) : undefined,
    request: {
      clientId: request.client_id,
      effectiveClientId: resolved.client.effective,
      nonce: request.nonce,
      responseMode: request.response_mode,
      purpose: request.dcql_query.credential_sets?.[0]?.purpose,
      ...(requested === undefined ? {} : { transactionData: requested }),
    },
    posted,
  };
}
