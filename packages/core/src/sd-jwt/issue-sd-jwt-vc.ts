import { base64urlEncode } from '../encoding/base64url.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../encoding/json.js';
import { parsePublicJwk, toPublicJwk } from '../jwk/parse-public-jwk.js';
import type { PublicJwk } from '../jwk/types.js';
import { signCompactJws } from '../jws/sign-compact.js';
import type { Clock, CryptoPort, Signer } from '../ports.js';
import { createDisclosure, SD_ALG, setMember } from './disclosures.js';
import { arrayIndex, parseJsonPointer } from './json-pointer.js';
import { SD_JWT_VC_TYP } from './types.js';

export interface IssueSdJwtVcInput {
  /** Credential type (SD-JWT VC §3.2.2.1.1). */
  vct: string;
  iss: string;
  /** Subject claims. Registered names set from the other fields are refused here (TypeError). */
  claims: JsonObject;
  /**
   * RFC 6901 pointers of the claims, nested members and array elements to make selectively
   * disclosable, or 'all' for every claim, member and element at every depth. A disclosable node
   * inside a disclosable node is disclosed recursively (RFC 9901 §4.2.6).
   */
  disclosable?: readonly string[] | 'all';
  /** Decoy digests added to each `_sd` array (default: 0 to 3, drawn from ctx.crypto; RFC 9901 §4.2.5). */
  decoys?: number;
  /** The holder's public key, bound as `cnf.jwk` (RFC 7800 §3.2). Only public members are kept. */
  holderKey?: PublicJwk;
  /** Token Status List reference (draft-ietf-oauth-status-list §6.2). */
  status?: { uri: string; idx: number };
  /** NumericDates. `issuedAt` defaults to ctx.clock.now(), truncated to whole seconds. */
  issuedAt?: number;
  expiresAt?: number;
  notBefore?: number;
  sub?: string;
}

export interface IssueSdJwtVcContext {
  signer: Signer;
  crypto: CryptoPort;
  clock: Clock;
}

/**
 * Claim names the issuer sets itself (SD-JWT VC, draft-ietf-oauth-sd-jwt-vc-25 §3.2.2.2, never
 * selectively disclosable) or that carry SD-JWT structure (RFC 9901 §4.2.4.1): letting a caller's
 * claim take one of these names would forge validity, binding or digests.
 */
const RESERVED_TOP_LEVEL = new Set([
  'iss',
  'vct',
  'iat',
  'exp',
  'nbf',
  'cnf',
  'status',
  '_sd',
  '_sd_alg',
  '...',
]);

const SALT_BYTES = 16;
const MAX_DEFAULT_DECOYS = 3;

/** Which nodes were asked to be disclosable: a tree of reference tokens mirroring the claims. */
interface Mark {
  sd: boolean;
  children?: Map<string, Mark>;
}

/**
 * Issues an SD-JWT VC (RFC 9901 §4; draft-ietf-oauth-sd-jwt-vc-25 §3): header `typ: dc+sd-jwt`,
 * `_sd_alg: sha-256`, digests sorted within each `_sd` array (§4.2.4.1, so their order says nothing
 * about the claims' order), decoys mixed in, all salts drawn in one call to ctx.crypto.bytes.
 */
export async function issueSdJwtVc(input: IssueSdJwtVcInput, ctx: IssueSdJwtVcContext): Promise<string> {
  checkInput(input);
  const { claims } = input;
  const all = input.disclosable === 'all';
  const root = all
    ? undefined
    : markPointers(claims, (input.disclosable as readonly string[] | undefined) ?? []);

  // One pass to size the randomness, one call to draw it (a call per salt costs more than the hashing).
  const counts = { disclosures: 0, sdObjects: 0 };
  count(claims, root, all, counts);
  const fixedDecoys = input.decoys;
  const decoyBytes =
    fixedDecoys === undefined
      ? counts.sdObjects * (1 + MAX_DEFAULT_DECOYS * SALT_BYTES)
      : counts.sdObjects * fixedDecoys * SALT_BYTES;
  const random = ctx.crypto.bytes(counts.disclosures * SALT_BYTES + decoyBytes);
  if (!(random instanceof Uint8Array) || random.length < counts.disclosures * SALT_BYTES + decoyBytes) {
    throw new TypeError('ctx.crypto.bytes returned too few bytes');
  }

  let offset = 0;
  const take = (n: number): Uint8Array => {
    const bytes = random.subarray(offset, offset + n);
    offset += n;
    return bytes;
  };
  const encodedDisclosures: string[] = [];
  const disclose = (name: string | undefined, value: JsonValue): string => {
    const { encoded, digest } = createDisclosure(base64urlEncode(take(SALT_BYTES)), name, value, ctx.crypto);
    encodedDisclosures.push(encoded);
    return digest;
  };
  const addDecoys = (digests: string[]): void => {
    // 256 is a multiple of 4, so `byte & 3` is uniform over 0..3.
    const n = fixedDecoys ?? take(1)[0]! & MAX_DEFAULT_DECOYS;
    for (let i = 0; i < n; i++) digests.push(base64urlEncode(ctx.crypto.sha256(take(SALT_BYTES))));
    if (fixedDecoys === undefined) take((MAX_DEFAULT_DECOYS - n) * SALT_BYTES);
  };

  const encode = (value: JsonValue, mark: Mark | undefined, everything: boolean): JsonValue => {
    // Nothing below is disclosable: share the caller's value rather than copy it.
    if (!everything && mark?.children === undefined) return value;
    if (Array.isArray(value)) {
      const out: JsonValue[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const child = everything ? undefined : mark?.children?.get(String(i));
        const encoded = encode(value[i]!, child, everything);
        out[i] = everything || child?.sd ? { '...': disclose(undefined, encoded) } : encoded;
      }
      return out;
    }
    if (!isJsonObject(value)) return value;
    const out: JsonObject = {};
    const digests: string[] = [];
    for (const name of Object.keys(value)) {
      const child = everything ? undefined : mark?.children?.get(name);
      const encoded = encode(value[name]!, child, everything);
      if (everything || child?.sd) digests.push(disclose(name, encoded));
      else setMember(out, name, encoded);
    }
    if (digests.length > 0) {
      addDecoys(digests);
      out['_sd'] = digests.sort();
    }
    return out;
  };

  const body = encode(claims, root, all) as JsonObject;
  const payload: Record<string, unknown> = {
    iss: input.iss,
    iat: input.issuedAt ?? Math.floor(ctx.clock.now()),
  };
  if (input.notBefore !== undefined) payload['nbf'] = input.notBefore;
  if (input.expiresAt !== undefined) payload['exp'] = input.expiresAt;
  payload['vct'] = input.vct;
  if (input.sub !== undefined) payload['sub'] = input.sub;
  if (input.holderKey !== undefined)
    payload['cnf'] = { jwk: toPublicJwk(parsePublicJwk(input.holderKey, 'holder key')) };
  if (input.status !== undefined)
    payload['status'] = { status_list: { idx: input.status.idx, uri: input.status.uri } };
  for (const name of Object.keys(body)) setMember(payload, name, body[name]);
  payload['_sd_alg'] = SD_ALG;

  const jws = await signCompactJws({ typ: SD_JWT_VC_TYP }, payload, ctx.signer);
  let out = `${jws}~`;
  for (const disclosure of encodedDisclosures) out += `${disclosure}~`;
  return out;
}

function count(
  value: JsonValue,
  mark: Mark | undefined,
  everything: boolean,
  counts: { disclosures: number; sdObjects: number },
): void {
  if (!everything && mark?.children === undefined) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child = everything ? undefined : mark?.children?.get(String(i));
      if (everything || child?.sd) counts.disclosures++;
      count(value[i]!, child, everything, counts);
    }
    return;
  }
  if (!isJsonObject(value)) return;
  let disclosed = 0;
  for (const name of Object.keys(value)) {
    const child = everything ? undefined : mark?.children?.get(name);
    if (everything || child?.sd) disclosed++;
    count(value[name]!, child, everything, counts);
  }
  counts.disclosures += disclosed;
  if (disclosed > 0) counts.sdObjects++;
}

/** Turns pointers into a Mark tree, checking each names an existing node (a typo would silently disclose nothing). */
function markPointers(claims: JsonObject, pointers: readonly string[]): Mark {
  const root: Mark = { sd: false };
  for (const pointer of pointers) {
    const tokens = parseJsonPointer(pointer);
    if (tokens.length === 0) throw new TypeError('the whole claim set cannot be selectively disclosable');
    let node = root;
    let value: JsonValue = claims;
    for (const token of tokens) {
      if (Array.isArray(value)) {
        const index = arrayIndex(token, value.length);
        if (index === undefined) throw new TypeError('a disclosable pointer names no array element');
        value = value[index]!;
      } else if (isJsonObject(value) && Object.hasOwn(value, token)) {
        value = value[token]!;
      } else {
        throw new TypeError('a disclosable pointer names no claim');
      }
      node.children ??= new Map();
      let child = node.children.get(token);
      if (!child) {
        child = { sd: false };
        node.children.set(token, child);
      }
      node = child;
    }
    node.sd = true;
  }
  return root;
}

function checkInput(input: IssueSdJwtVcInput): void {
  if (typeof input !== 'object' || input === null) throw new TypeError('input must be an object');
  if (typeof input.vct !== 'string' || input.vct === '')
    throw new TypeError('vct must be a non-empty string');
  if (typeof input.iss !== 'string' || input.iss === '')
    throw new TypeError('iss must be a non-empty string');
  if (!isJsonObject(input.claims)) throw new TypeError('claims must be a JSON object');
  for (const name of Object.keys(input.claims)) {
    if (RESERVED_TOP_LEVEL.has(name))
      throw new TypeError(`claims must not contain the reserved name ${name}`);
  }
  if (input.sub !== undefined) {
    if (typeof input.sub !== 'string') throw new TypeError('sub must be a string');
    if (Object.hasOwn(input.claims, 'sub'))
      throw new TypeError('sub is given both as an option and as a claim');
  }
  checkJson(input.claims, 0);
  const { disclosable, decoys, status } = input;
  if (disclosable !== undefined && disclosable !== 'all' && !Array.isArray(disclosable)) {
    throw new TypeError("disclosable must be an array of JSON pointers or 'all'");
  }
  if (decoys !== undefined && (!Number.isSafeInteger(decoys) || decoys < 0 || decoys > 1000)) {
    throw new TypeError('decoys must be an integer from 0 to 1000');
  }
  if (status !== undefined) {
    if (typeof status.uri !== 'string' || status.uri === '')
      throw new TypeError('status.uri must be a non-empty string');
    if (!Number.isSafeInteger(status.idx) || status.idx < 0)
      throw new TypeError('status.idx must be a non-negative integer');
  }
  for (const time of [input.issuedAt, input.expiresAt, input.notBefore]) {
    if (time !== undefined && !Number.isFinite(time))
      throw new TypeError('times must be finite NumericDates');
  }
}

/**
 * Claims must be plain JSON (JSON.stringify would silently turn NaN into null or drop undefined,
 * so the holder would get a claim the issuer never meant) and must not use the SD-JWT structural
 * names `_sd` or `...` at any depth (RFC 9901 §4.2.4.1, §4.2.4.2).
 */
function checkJson(value: unknown, depth: number): void {
  if (depth > 64) throw new TypeError('claims are nested too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('claims must not contain NaN or Infinity');
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value) checkJson(element, depth + 1);
    return;
  }
  if (
    !isJsonObject(value) ||
    (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
  ) {
    throw new TypeError('claims must be plain JSON values');
  }
  for (const name of Object.keys(value)) {
    if (name === '_sd' || name === '...') throw new TypeError('claims must not use the names _sd or ...');
    checkJson(value[name], depth + 1);
  }
}
