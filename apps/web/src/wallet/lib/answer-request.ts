import { isTriesteError, presentSdJwtVc, utf8Encode } from '@trieste/core';
import { encryptJwe } from './encrypt-jwe';
import { holderSigner, walletCrypto } from './holder-key';
import { exchange, type Fetch } from './http';
import type { PresentationRequest } from './resolve-request';
import { boundTransactionData } from './transaction-data';
import { type StoredCredential, walletClock } from './wallet-db';
import { WalletError } from './wallet-error';

/** What the holder agreed to send: per credential query, one credential and the chosen pointers. */
export interface Disclosure {
  queryId: string;
  credential: StoredCredential;
  pointers: string[];
}

/**
 * One SD-JWT presentation with only the chosen disclosures and a KB-JWT (RFC 9901 §4.3) binding it
 * to this verifier and this request: `aud` is the client_id with its prefix (OpenID4VP 1.0
 * §B.3.6), `nonce` the request's, `iat` now, `sd_hash` over exactly what is sent (core's
 * presentSdJwtVc computes it, so no disclosure can be added afterwards). With `transactionData`
 * (the request's strings this credential answers) the KB-JWT also carries their hashes
 * (OpenID4VP 1.0 §8.4 `transaction_data_hashes`, `transaction_data_hashes_alg`).
 */
export async function presentCredential(
  credential: StoredCredential,
  pointers: readonly string[],
  binding: { aud: string; nonce?: string; transactionData?: readonly string[] },
): Promise<string> {
  try {
    return await presentSdJwtVc(
      credential.sdJwt,
      {
        disclose: [...pointers],
        aud: binding.aud,
        ...(binding.nonce === undefined ? {} : { nonce: binding.nonce }),
        ...(binding.transactionData === undefined ? {} : { transactionData: binding.transactionData }),
      },
      { holder: await holderSigner(credential.holderKey), crypto: walletCrypto, clock: walletClock },
    );
  } catch (cause) {
    if (isTriesteError(cause))
      throw new WalletError('CREDENTIAL_INVALID', `the presentation cannot be built: ${cause.code}`, {
        cause,
      });
    throw cause;
  }
}

/** The authorization response parameters, as a form (direct_post) or encrypted (direct_post.jwt). */
async function responseBody(
  request: PresentationRequest,
  params: Record<string, unknown>,
): Promise<URLSearchParams> {
  if (request.responseMode === 'direct_post.jwt') {
    const encryption = request.encryption;
    if (!encryption) throw new WalletError('REQUEST_UNSUPPORTED', 'the request has no encryption key');
    // §8.3: the parameters as a JSON object, encrypted to the verifier's ephemeral key.
    const jwe = await encryptJwe(utf8Encode(JSON.stringify(params)), encryption.jwk, {
      enc: encryption.enc,
      ...(encryption.kid === undefined ? {} : { kid: encryption.kid }),
    });
    return new URLSearchParams({ response: jwe });
  }
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    form.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  return form;
}

async function post(
  request: PresentationRequest,
  params: Record<string, unknown>,
  fetchImpl?: Fetch,
): Promise<void> {
  const body = await responseBody(
    request,
    request.state === undefined ? params : { ...params, state: request.state },
  );
  const answer = await exchange(
    request.responseUri,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    },
    fetchImpl,
  );
  if (answer.status !== 200) {
    const code = refusalReason(answer.text);
    throw new WalletError(
      'PRESENTATION_REFUSED',
      `the verifier refused the response: ${code ?? answer.status}`,
      {
        cause: code,
      },
    );
  }
}

/**
 * Why the verifier refused, when it says: Trieste's verifier words it "… refused: STATUS_REVOKED
 * (PRESENTATION_INVALID)" in `error_description` (OpenID4VP 1.0 §8.5 error JSON). The most specific
 * code is kept; it is shown to the holder as a code, never as the verifier's free text.
 */
export function refusalReason(body: string): string | undefined {
  let description: unknown;
  try {
    description = (JSON.parse(body) as { error_description?: unknown }).error_description;
  } catch {
    return undefined;
  }
  if (typeof description !== 'string') return undefined;
  const codes = description.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [];
  return codes.find((code) => code !== 'PRESENTATION_INVALID') ?? codes[0];
}

/** Sends the chosen disclosures (OpenID4VP 1.0 §8.1 vp_token keyed by credential query id). */
export async function shareWithVerifier(
  request: PresentationRequest,
  disclosures: readonly Disclosure[],
  fetchImpl?: Fetch,
): Promise<void> {
  if (disclosures.length === 0) throw new TypeError('nothing to share');
  const vpToken: Record<string, string[]> = {};
  for (const d of disclosures) {
    const transactionData = boundTransactionData(request.transactionData, d.queryId);
    const presentation = await presentCredential(d.credential, d.pointers, {
      aud: request.clientId,
      nonce: request.nonce,
      ...(transactionData ? { transactionData } : {}),
    });
    vpToken[d.queryId] = [...(vpToken[d.queryId] ?? []), presentation];
  }
  await post(request, { vp_token: vpToken }, fetchImpl);
}

/** Tells the verifier the holder declined (OpenID4VP 1.0 §8.5 `access_denied`): it stops waiting. */
export async function declineRequest(request: PresentationRequest, fetchImpl?: Fetch): Promise<void> {
  await post(request, { error: 'access_denied', error_description: 'the holder declined' }, fetchImpl);
}

/** The verifier's refusal code carried by a PRESENTATION_REFUSED error, if it said one. */
export function refusalCode(error: unknown): string | undefined {
  return error instanceof WalletError && typeof error.cause === 'string' ? error.cause : undefined;
}
