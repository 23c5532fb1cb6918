// The public API of @trieste/core: an explicit list, so no helper becomes public by accident.

export {
  generateWebCryptoKeyPair,
  signerFromPrivateJwk,
  webCrypto,
  webCryptoSigner,
} from './crypto/web-crypto.js';
export { base64urlDecode, base64urlEncode } from './encoding/base64url.js';
export type { JsonObject, JsonValue } from './encoding/json.js';
export { utf8Decode, utf8Encode } from './encoding/utf8.js';
export { CORE_ERROR_CODES, type CoreErrorCode, isTriesteError, TriesteError } from './errors.js';
export { type CredentialStatusName, changeCredentialStatus } from './issuance/change-credential-status.js';
export { type IssuanceContext, statusListUri } from './issuance/context.js';
export {
  type IssueCredentialRequest,
  type IssuedCredential,
  issueCredential,
} from './issuance/issue-credential.js';
export { publishStatusList } from './issuance/publish-status-list.js';
export { algForJwk, parsePrivateJwk, parsePublicJwk, toPublicJwk } from './jwk/parse-public-jwk.js';
export { jwkThumbprint, jwkThumbprintUri } from './jwk/thumbprint.js';
export type { EcPublicJwk, OkpPublicJwk, PrivateJwk, PublicJwk, SignatureAlg } from './jwk/types.js';
export { isSignatureAlg, SIGNATURE_ALGS } from './jwk/types.js';
export { type DecodedJws, decodeCompactJws } from './jws/decode-compact.js';
export { signCompactJws } from './jws/sign-compact.js';
export { verifyJwsSignature } from './jws/verify-compact.js';
export type {
  Clock,
  CredentialRecord,
  CredentialStore,
  CryptoPort,
  Hasher,
  IssuerKeyCustody,
  IssuerKeyRecord,
  IssuerKeyResolver,
  KeyState,
  RandomSource,
  SettingsStore,
  SignatureVerifier,
  Signer,
  StatusListInfo,
  StatusListSnapshot,
  StatusListStore,
  StatusListVersion,
  StatusResolver,
  StatusValue,
  Stores,
} from './ports.js';
export { type DecodedSdJwt, decodeSdJwt } from './sd-jwt/decode-sd-jwt.js';
export type { Disclosure as SdJwtDisclosure } from './sd-jwt/disclosures.js';
export { type IssueSdJwtVcContext, type IssueSdJwtVcInput, issueSdJwtVc } from './sd-jwt/issue-sd-jwt-vc.js';
export {
  type PresentSdJwtVcContext,
  type PresentSdJwtVcRequest,
  presentSdJwtVc,
} from './sd-jwt/present-sd-jwt-vc.js';
export {
  type VerifiedSdJwtVc,
  type VerifySdJwtVcContext,
  type VerifySdJwtVcOptions,
  verifySdJwtVc,
} from './sd-jwt/verify-sd-jwt-vc.js';
export { randomIndex } from './status-list/allocate-index.js';
export { createIndexAllocator, type IndexAllocator } from './status-list/create-index-allocator.js';
export { createStatusResolver, type StatusResolverOptions } from './status-list/create-status-resolver.js';
export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecodedStatusList,
  type DecodeStatusListOptions,
  decodeStatusList,
} from './status-list/decode-status-list.js';
export { DRAFT_STATUS_LIST_SIZE_FIGURES } from './status-list/draft-figures.js';
export { type EncodedStatusList, encodeStatusList } from './status-list/encode-status-list.js';
export {
  STATUS_LIST_JWT_TYP,
  type StatusListTokenClaims,
  signStatusListToken,
} from './status-list/sign-status-list-token.js';
export {
  isStatusBits,
  MAX_STATUS_LIST_SIZE,
  STATUS,
  type StatusBits,
  StatusList,
} from './status-list/status-list.js';
export {
  type StatusListKeySource,
  type VerifiedStatusListToken,
  type VerifyStatusListTokenOptions,
  verifyStatusListToken,
} from './status-list/verify-status-list-token.js';
