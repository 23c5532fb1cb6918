// The public API of @trieste/core: an explicit list, so no helper becomes public by accident.
export { type CoreErrorCode, CORE_ERROR_CODES, TriesteError, isTriesteError } from './errors.js';
export type {
  Clock,
  CryptoPort,
  Hasher,
  IssuerKeyResolver,
  RandomSource,
  SignatureVerifier,
  Signer,
  StatusResolver,
  StatusValue,
  CredentialRecord,
  CredentialStore,
  IssuerKeyCustody,
  IssuerKeyRecord,
  KeyState,
  SettingsStore,
  StatusListInfo,
  StatusListSnapshot,
  StatusListStore,
  StatusListVersion,
  Stores,
} from './ports.js';
export type { EcPublicJwk, OkpPublicJwk, PrivateJwk, PublicJwk, SignatureAlg } from './jwk/types.js';
export { SIGNATURE_ALGS, isSignatureAlg } from './jwk/types.js';
export { algForJwk, parsePrivateJwk, parsePublicJwk, toPublicJwk } from './jwk/parse-public-jwk.js';
export { jwkThumbprint, jwkThumbprintUri } from './jwk/thumbprint.js';
export { base64urlDecode, base64urlEncode } from './encoding/base64url.js';
export { utf8Decode, utf8Encode } from './encoding/utf8.js';
export type { JsonObject, JsonValue } from './encoding/json.js';
export { decodeCompactJws, type DecodedJws } from './jws/decode-compact.js';
export { signCompactJws } from './jws/sign-compact.js';
export { verifyJwsSignature } from './jws/verify-compact.js';
export { generateWebCryptoKeyPair, signerFromPrivateJwk, webCrypto, webCryptoSigner } from './crypto/web-crypto.js';

// --- SD-JWT VC (sd-jwt/) ---
// --- end SD-JWT VC ---

// --- Token Status List (status-list/) ---
// --- end Token Status List ---
