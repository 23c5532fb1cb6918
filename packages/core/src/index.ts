// The public API of @trieste/core: an explicit list, so no helper becomes public by accident.

export {
  generateWebCryptoKeyPair,
  signerFromPrivateJwk,
  webCrypto,
  webCryptoSigner,
} from './crypto/web-crypto.js';
export { base64Decode, base64Encode } from './encoding/base64.js';
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
export { addCosignature } from './log/add-cosignature.js';
// Transparency log: RFC 9162 Merkle tree and proofs, C2SP tlog-tiles, signed-note, tlog-checkpoint,
// tlog-cosignature, tlog-proof.
export {
  type Checkpoint,
  formatCheckpoint,
  type ParsedCheckpoint,
  parseCheckpoint,
} from './log/checkpoint.js';
export { type CompletedNode, completedNodes } from './log/completed-nodes.js';
export { rootFromLeafHashes, treeRoot } from './log/compute-root.js';
export {
  cosignatureMessage,
  cosignCheckpoint,
  type NoteVerificationContext,
  verifyCosignature,
} from './log/cosignature.js';
export { decodeEntryBundle } from './log/decode-entry-bundle.js';
export { encodeEntryBundle } from './log/encode-entry-bundle.js';
export {
  encodeLogEntry,
  type LogEntryType,
  type LogEntryValue,
  MAX_LOG_ENTRY_BYTES,
} from './log/encode-log-entry.js';
export {
  entryBundlePath,
  MAX_TILE_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  tilePath,
} from './log/format-tile-path.js';
export { type TileId, tilesForTreeSize } from './log/list-tiles.js';
export { MemoryMerkleTree } from './log/memory-merkle-tree.js';
export { emptyRoot, hashChildren, hashLeaf } from './log/merkle-hash.js';
export { type NoteSignature, type ParsedNote, parseNote, parseSignatureLine } from './log/parse-note.js';
export { type ParsedTilePath, parseTilePath } from './log/parse-tile-path.js';
export { proveConsistency } from './log/prove-consistency.js';
export { proveInclusion } from './log/prove-inclusion.js';
export {
  type LogContext,
  logVerifierKey,
  type PublishedCheckpoint,
  publishCheckpoint,
  withCosignatures,
} from './log/publish-checkpoint.js';
export { readHashTile, type TileNodeReader } from './log/read-hash-tile.js';
export { type NoteSigner, signNote } from './log/sign-note.js';
export {
  formatTlogProof,
  parseTlogProof,
  TLOG_PROOF_HEADER,
  type TlogProof,
  type VerifiedTlogProof,
  verifyTlogProof,
} from './log/tlog-proof.js';
export {
  formatVerifierKey,
  noteKeyHash,
  type ParsedVerifierKey,
  parseVerifierKey,
  signerVerifierKey,
  type VerifierKeyType,
} from './log/verifier-key.js';
export {
  type CheckpointPolicy,
  COSIGNATURE_CLOCK_SKEW,
  type VerifiedCheckpoint,
  verifyCheckpoint,
} from './log/verify-checkpoint.js';
export { type ConsistencyProofInput, verifyConsistency } from './log/verify-consistency.js';
export { type InclusionProofInput, verifyInclusion } from './log/verify-inclusion.js';
export { type VerifiedNote, type VerifiedNoteSignature, verifyNote } from './log/verify-note.js';
export type {
  ApiKeyRecord,
  ApiKeyStore,
  Clock,
  CredentialOfferRecord,
  CredentialOfferState,
  CredentialOfferStore,
  CredentialRecord,
  CredentialStore,
  CryptoPort,
  Hasher,
  IssuerKeyCustody,
  IssuerKeyRecord,
  IssuerKeyResolver,
  KeyState,
  LogTreeState,
  LogWitness,
  MerkleNodeReader,
  PresentationOutcome,
  PresentationRequestRecord,
  PresentationRequestStatus,
  PresentationRequestStore,
  PresentationResponseMode,
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
  TransparencyLogStore,
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
