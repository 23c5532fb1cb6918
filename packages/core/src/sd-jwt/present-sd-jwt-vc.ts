import { sha256Base64url } from '../crypto/sha256-base64url.js';
import { isJsonObject, type JsonValue } from '../encoding/json.js';
import { fail } from '../errors.js';
import { parsePublicJwk } from '../jwk/parse-public-jwk.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import { decodeCompactJws } from '../jws/decode-compact.js';
import { signCompactJws } from '../jws/sign-compact.js';
import type { Clock, CryptoPort, Signer } from '../ports.js';
import { asCoded, parseDisclosure } from './disclosures.js';
import { arrayIndex, parseJsonPointer } from './json-pointer.js';
import { resolveDisclosures } from './resolve-disclosures.js';
import { splitSdJwt } from './split-sd-jwt.js';
import { TRANSACTION_DATA_HASH_ALG, transactionDataHashes } from './transaction-data-hashes.js';
import { KB_JWT_TYP } from './types.js';

export interface PresentSdJwtVcRequest {
  /**
   * RFC 6901 pointers into the full claims (array indices count the full array). A pointer
   * discloses that node, every ancestor needed to reach it and everything under it; `''` discloses
   * everything. A pointer that matches nothing discloses nothing: the verifier, not the wallet,
   * decides whether what it got is enough.
   */
  disclose: readonly string[];
  /** Bound into the KB-JWT (RFC 9901 §4.3); only used with a holder key. */
  nonce?: string;
  aud?: string;
  /**
   * The request's transaction_data strings this credential answers (OpenID4VP 1.0 §8.4), exactly
   * as received: their hashes go into the KB-JWT (`transaction_data_hashes`, with
   * `transaction_data_hashes_alg: "sha-256"`), binding the holder's agreement to them.
   */
  transactionData?: readonly string[];
}

export interface PresentSdJwtVcContext {
  /** The holder key named in `cnf`; without it the presentation carries no KB-JWT. */
  holder?: Signer;
  crypto: CryptoPort;
  clock: Clock;
}

/**
 * Builds a presentation (RFC 9901 §4, §4.3): the issuer-signed JWT, the chosen disclosures in the
 * order the issuer gave them, and, with a holder key, a KB-JWT whose `sd_hash` covers exactly
 * that text (§4.3.1), so no disclosure can be added or removed afterwards.
 *
 * The credential is checked as far as a holder can without the issuer's key (structure, digest
 * links, duplicates), so a wallet does not present something a verifier must refuse. Holder-key
 * failures: a credential without `cnf.jwk` is HOLDER_KEY_MISSING (there is nothing to bind to); a
 * holder key that is not the `cnf` key is KEY_INVALID (the wrong key was supplied).
 */
export async function presentSdJwtVc(
  sdJwt: string,
  request: PresentSdJwtVcRequest,
  ctx: PresentSdJwtVcContext,
): Promise<string> {
  if (typeof request !== 'object' || request === null || !Array.isArray(request.disclose)) {
    throw new TypeError('request.disclose must be an array of JSON pointers');
  }
  const pointers = request.disclose.map(parseJsonPointer);
  if (request.nonce !== undefined && typeof request.nonce !== 'string')
    throw new TypeError('nonce must be a string');
  if (request.aud !== undefined && typeof request.aud !== 'string')
    throw new TypeError('aud must be a string');
  const transactionHashes =
    request.transactionData === undefined
      ? undefined
      : transactionDataHashes(ctx.crypto, request.transactionData);

  let presentation: string;
  try {
    const parts = splitSdJwt(sdJwt);
    if (parts.kbJwt !== undefined)
      throw fail('MALFORMED', 'input is a presentation with key binding, not an SD-JWT');
    const { payload } = decodeCompactJws(parts.jws, 'SD-JWT');
    const cnf = payload['cnf'];
    const disclosures = parts.disclosures.map((encoded) => parseDisclosure(encoded, ctx.crypto));
    const paths: string[][] = new Array(disclosures.length);
    const full = resolveDisclosures(payload, disclosures, paths);
    // A pointer to a node that does not exist must not disclose its would-be ancestors either.
    const wanted = pointers.filter((pointer) => exists(full, pointer));

    presentation = `${parts.jws}~`;
    for (let i = 0; i < disclosures.length; i++) {
      const path = paths[i]!;
      if (wanted.some((pointer) => isPrefix(pointer, path) || isPrefix(path, pointer))) {
        presentation += `${disclosures[i]!.encoded}~`;
      }
    }

    if (ctx.holder !== undefined) {
      if (!isJsonObject(cnf) || cnf['jwk'] === undefined) {
        throw fail('HOLDER_KEY_MISSING', 'the credential is not bound to a holder key');
      }
      const bound = parsePublicJwk(cnf['jwk'], 'cnf key');
      if (jwkThumbprint(bound, ctx.crypto) !== jwkThumbprint(ctx.holder.publicJwk, ctx.crypto)) {
        throw fail('KEY_INVALID', 'the holder key is not the key the credential is bound to');
      }
    }
  } catch (error) {
    throw asCoded(error);
  }

  if (ctx.holder === undefined) {
    if (transactionHashes !== undefined)
      throw new TypeError('transactionData needs a holder key: only a KB-JWT carries its hashes');
    return presentation;
  }
  const kbPayload: Record<string, unknown> = { iat: Math.floor(ctx.clock.now()) };
  if (request.aud !== undefined) kbPayload['aud'] = request.aud;
  if (request.nonce !== undefined) kbPayload['nonce'] = request.nonce;
  kbPayload['sd_hash'] = sha256Base64url(ctx.crypto, presentation);
  if (transactionHashes !== undefined) {
    kbPayload['transaction_data_hashes'] = transactionHashes;
    kbPayload['transaction_data_hashes_alg'] = TRANSACTION_DATA_HASH_ALG;
  }
  // The key is identified by `cnf`; a `kid` would only add a correlatable identifier.
  const kbJwt = await signCompactJws({ typ: KB_JWT_TYP }, kbPayload, ctx.holder, { includeKid: false });
  return presentation + kbJwt;
}

function exists(root: JsonValue, tokens: readonly string[]): boolean {
  let node: JsonValue = root;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      const index = arrayIndex(token, node.length);
      if (index === undefined) return false;
      node = node[index]!;
    } else if (isJsonObject(node) && Object.hasOwn(node, token)) {
      node = node[token]!;
    } else {
      return false;
    }
  }
  return true;
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}
