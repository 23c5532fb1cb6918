// An independent OpenID4VCI wallet for tests: the @openid4vc client libraries for the protocol,
// jose for its keys and proofs, @sd-jwt/sd-jwt-vc to verify what it receives. Nothing here comes
// from the server's code paths: if the issuer misreads the specification, this wallet disagrees.
import { createHash, randomBytes } from 'node:crypto';
import { type CallbackContext, clientAuthenticationAnonymous, type Jwk } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { compactVerify, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';

type Fetch = NonNullable<CallbackContext['fetch']>;

export interface WalletKey {
  publicJwk: Jwk;
  alg: 'ES256' | 'EdDSA';
  privateKey: CryptoKey;
}

export async function walletKey(alg: 'ES256' | 'EdDSA' = 'ES256'): Promise<WalletKey> {
  const pair = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  const { kty, crv, x, y } = await exportJWK(pair.publicKey);
  const publicJwk = { kty: kty!, crv, x, ...(y === undefined ? {} : { y }) } as Jwk;
  return { publicJwk, alg, privateKey: pair.privateKey };
}

/** Signs any JWT the client library asks for with the wallet key whose public JWK it names. */
export function walletCallbacks(fetch: Fetch, keys: WalletKey[]) {
  return {
    fetch,
    hash: (data: Uint8Array, alg: string) =>
      new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
    generateRandom: (length: number) => new Uint8Array(randomBytes(length)),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (
      signer: { method: string; publicJwk?: Jwk },
      jwt: { header: object; payload: object },
    ) => {
      const key = keys.find((k) => k.publicJwk.x === signer.publicJwk?.x);
      if (!key) throw new Error('the wallet has no such key');
      const compact = await new SignJWT(jwt.payload as Record<string, unknown>)
        .setProtectedHeader(jwt.header as { alg: string })
        .sign(key.privateKey);
      return { jwt: compact, signerJwk: key.publicJwk };
    },
  };
}

/** A fetch that sends every request to a Fastify app through inject(), no socket involved. */
export function injectFetch(app: {
  inject(options: object): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
}): Fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const response = await app.inject({
      method: init?.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      headers,
      ...(init?.body === undefined || init.body === null ? {} : { payload: String(init.body) }),
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) out.set(name, String(value));
    }
    return new Response(response.statusCode === 304 ? null : response.body, {
      status: response.statusCode,
      headers: out,
    });
  }) as Fetch;
}

export interface WalletRun {
  credentials: string[];
  accessToken: string;
}

/**
 * The whole pre-authorized flow as a wallet runs it: resolve the offer (link by reference or by
 * value), metadata, token with the tx_code, a c_nonce, one proof per key, the credential request.
 */
export async function receiveCredentials(options: {
  fetch: Fetch;
  offerLink: string;
  /** Absent for an offer without tx_code (the top-up of proofs of age). */
  txCode?: string;
  keys: WalletKey[];
  now: number;
}): Promise<WalletRun> {
  const client = new Openid4vciClient({ callbacks: walletCallbacks(options.fetch, options.keys) });
  const credentialOffer = await client.resolveCredentialOffer(options.offerLink);
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer,
    issuerMetadata,
    ...(options.txCode === undefined ? {} : { txCode: options.txCode }),
  });
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]!;
  const jwts: string[] = [];
  for (const key of options.keys) {
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId,
      nonce: c_nonce,
      issuedAt: new Date(options.now * 1000),
      signer: { method: 'jwk', publicJwk: key.publicJwk, alg: key.alg },
    });
    jwts.push(jwt);
  }
  const response = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId,
    proofs: { jwt: jwts },
  });
  const credentials = (response.credentialResponse.credentials ?? []).map(
    (entry) => (entry as { credential: string }).credential,
  );
  return { credentials, accessToken: accessTokenResponse.access_token };
}

/** Verifies an SD-JWT VC with @sd-jwt/sd-jwt-vc and the issuer key published in jwt-vc-issuer metadata. */
export async function verifyWithSdJwtLibrary(
  credential: string,
  options: { fetch: Fetch; issuer: string; now: number },
) {
  const response = await options.fetch(`${options.issuer}/.well-known/jwt-vc-issuer`);
  const { jwks } = (await response.json()) as { jwks: { keys: Array<Jwk & { kid: string }> } };
  const kid = JSON.parse(Buffer.from(credential.split('.')[0]!, 'base64url').toString('utf8')).kid as string;
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error('the issuer publishes no key with this kid');
  const { kid: _kid, alg, use: _use, ...publicJwk } = jwk as Record<string, unknown>;
  const key = await importJWK(publicJwk as Parameters<typeof importJWK>[0], alg as string);
  const sdJwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    // jose checks the signature of whatever `alg` the published key has (ES256 or EdDSA).
    verifier: async (data: string, signature: string) => {
      try {
        await compactVerify(`${data}.${signature}`, key, { algorithms: [alg as string] });
        return true;
      } catch {
        return false;
      }
    },
    statusListFetcher: async (uri: string) => (await options.fetch(uri)).text(),
  });
  return sdJwt.verify(credential, { currentDate: options.now });
}
