// The public API of @trieste/core: an explicit list, so no helper becomes public by accident.

// Offline QR codes (base45, claim169, cose, cwt, hc1, qr): RFC 9285, MOSIP Claim 169, RFC 9052,
// RFC 8392, EU DCC "HC1:", SD-JWT VC in a QR code.
export { base45Decode, base45Encode } from './base45/base45.js';
export {
  CLAIM_169,
  CLAIM169_BIOMETRICS,
  type Claim169Biometric,
  type Claim169BiometricName,
  type Claim169Identity,
  claim169ToJson,
  decodeClaim169,
  encodeClaim169,
} from './claim169/claim169.js';
export { type SignClaim169QrInput, signClaim169Qr } from './claim169/sign-claim169-qr.js';
export { cborToJson } from './cose/cbor-to-json.js';
export { COSE_ALGORITHM_IDS, type CoseAlgorithm } from './cose/cose-algorithms.js';
export {
  type CborKey,
  type CborMap,
  CborTag,
  type CborValue,
  type DecodeCborOptions,
  decodeCbor,
} from './cose/decode-cbor.js';
export { COSE_SIGN1_TAG, type DecodedCoseSign1, decodeCoseSign1 } from './cose/decode-cose-sign1.js';
export { encodeCbor } from './cose/encode-cbor.js';
export { type CoseKeySource, importCoseKey } from './cose/import-cose-key.js';
export { sigStructure1 } from './cose/sig-structure.js';
export { signCoseSign1 } from './cose/sign-cose-sign1.js';
export { verifyCoseSign1 } from './cose/verify-cose-sign1.js';
export {
  generateWebCryptoKeyPair,
  signerFromPrivateJwk,
  webCrypto,
  webCryptoSigner,
} from './crypto/web-crypto.js';
export { type CwtClaims, decodeCwtClaims } from './cwt/cwt-claims.js';
export { base64Decode, base64Encode } from './encoding/base64.js';
export { base64urlDecode, base64urlEncode } from './encoding/base64url.js';
export type { JsonObject, JsonValue } from './encoding/json.js';
export { randomId } from './encoding/random-id.js';
export { utf8Decode, utf8Encode } from './encoding/utf8.js';
export { CORE_ERROR_CODES, type CoreErrorCode, isTriesteError, TriesteError } from './errors.js';
export { CWT_HCERT, checkDccStructure, HCERT_EU_DCC_V1 } from './hc1/check-dcc-structure.js';
export { dccKid } from './hc1/dcc-kid.js';
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
  CachedTrustList,
  CandidatesForQueries,
  ClaimedWebhookDelivery,
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
  NewWebhookDelivery,
  PreparedQueries,
  PresentationOutcome,
  PresentationRequestRecord,
  PresentationRequestStatus,
  PresentationRequestStore,
  PresentationResponseMode,
  RandomSource,
  RegistryStore,
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
  TrustListKeyRecord,
  TrustListStore,
  TrustListVersion,
  WebhookDeliveryOutcome,
  WebhookDeliveryRecord,
  WebhookDeliveryStore,
} from './ports.js';
export {
  DEFAULT_QR_MAX_DECOMPRESSED_BYTES,
  deflateZlib,
  inflateZlib,
  isZlibHeader,
} from './qr/inflate-zlib.js';
export {
  MAX_QR_ALPHANUMERIC_CHARACTERS,
  MAX_QR_TEXT_LENGTH,
  SD_JWT_QR_MAX_BYTES,
} from './qr/qr-limits.js';
export type { QrKind, QrSigner, QrStep, QrStepName, QrVerificationResult } from './qr/qr-result.js';
export {
  type QrTrustFromTrustList,
  type QrTrustRefusal,
  type QrTrustVoucher,
  qrCredentialType,
  qrTrustFromTrustList,
} from './qr/qr-trust-from-trust-list.js';
export {
  prepareQrTrust,
  type QrCredentialType,
  type QrTrustedCertificate,
  type QrTrustedJwk,
  type QrTrustedKey,
  type QrTrustMaterial,
  type QrTrustSummary,
} from './qr/trust-material.js';
export { HC1_PREFIX, type VerifyQrTextOptions, verifyQrText } from './qr/verify-qr-text.js';
export type { SdJwtQrOptions } from './qr/verify-sd-jwt-qr.js';
// The foundational registry: person records and field rules, UINs and VIDs, the matcher and its
// evaluation, enrolment and lifecycle use cases, the access audit.
export { type AccessRequest, listAccesses, readPerson, recordAccess } from './registry/access-audit.js';
export {
  type AdjudicateRequest,
  type AdjudicationResult,
  adjudicateCase,
} from './registry/adjudicate-case.js';
export { ageEqualOrOver, ageReachedAt } from './registry/age-equal-or-over.js';
export { applyCredentialEffects } from './registry/apply-credential-effects.js';
export {
  type BlockingKeys,
  type BlockingOptions,
  blockingCode,
  blockingKeys,
  storedBlockingKeys,
} from './registry/blocking-keys.js';
export {
  deactivatePerson,
  reactivatePerson,
  recordDeath,
  type StateChangeRequest,
  type StateChangeResult,
} from './registry/change-person-state.js';
export {
  CREDENTIAL_FIELDS,
  type CredentialEffects,
  NO_CREDENTIAL_EFFECTS,
} from './registry/credential-effects.js';
export {
  DEFAULT_MATCH_THRESHOLDS,
  decideMatch,
  type MatchDecision,
  type MatchThresholds,
  type ScoredCandidate,
} from './registry/decide-match.js';
export {
  type BatchEnrolmentOptions,
  type BatchEnrolmentRequest,
  type BatchEnrolmentResult,
  DEFAULT_IMPORT_BATCH,
  enrolBatch,
} from './registry/enrol-batch.js';
export {
  type EnrolmentResult,
  type EnrolPersonRequest,
  enrolPerson,
  type MatchReference,
} from './registry/enrol-person.js';
export {
  type EvaluateMatcherOptions,
  evaluateMatcher,
  type MatcherEvaluation,
  type MatcherMistake,
} from './registry/evaluate-matcher.js';
export {
  DEFAULT_UIN_POLICY,
  DEFAULT_VID_POLICY,
  type IdNumberFilter,
  type IdNumberPolicy,
  idNumberViolation,
} from './registry/id-number-policy.js';
export { jaro, jaroWinkler } from './registry/jaro-winkler.js';
export {
  assertValidPerson,
  DEFAULT_JURISDICTION_RULES,
  type FieldError,
  type FieldErrorCode,
  type JurisdictionRules,
  PersonValidationError,
  type RequirableField,
  validatePerson,
} from './registry/jurisdiction-rules.js';
export {
  type MatchProfile,
  matchProfile,
  type NameToken,
  type NameVariant,
} from './registry/match-profile.js';
export { MatchProfileCache } from './registry/match-profile-cache.js';
export { type DateParts, parsePartialDate } from './registry/partial-date.js';
export {
  type Address,
  type ChangeMetadata,
  type EnrolmentMetadata,
  GUARDIAN_RELATIONSHIPS,
  type GuardianLink,
  type GuardianRelationship,
  type KnownCandidate,
  LEGAL_STATUSES,
  type LegalStatus,
  type MatchCandidate,
  type PartialDate,
  type PersonData,
  type PersonName,
  type PersonRecord,
  type PersonState,
  type PersonVersion,
  type PhotoReference,
  type Place,
  type ScriptCode,
  SEXES,
  type Sex,
} from './registry/person.js';
export { newRegistryId, type RegistryContext } from './registry/registry-context.js';
export {
  accessLogEntry,
  accessRecordDigest,
  canonicalRecordJson,
  type LifecycleEvent,
  type LifecycleEventName,
  lifecycleEventDigest,
  lifecycleLogEntry,
} from './registry/registry-log-entries.js';
export type {
  AccessRecord,
  AdjudicationCase,
  AdjudicationOutcome,
  CaseCandidate,
  ImportRowResult,
  NewPerson,
  PersonChange,
  VidRecord,
} from './registry/registry-records.js';
export { DEFAULT_REKEY_PAGE, type RekeyPage, rekeyPersons } from './registry/rekey-persons.js';
export {
  completeFromCase,
  type MatchScore,
  scoreMatch,
  scoreMatchAtLeast,
  scorePendingMatch,
  scorePendingMatchAtLeast,
} from './registry/score-match.js';
export {
  generateSyntheticPopulation,
  type SyntheticPopulationOptions,
  type SyntheticRecord,
} from './registry/synthetic-population.js';
export {
  ARABIC_TO_LATIN,
  CYRILLIC_TO_LATIN,
  foldLatin,
  latinReadings,
  transliterateArabic,
  transliterateCyrillic,
} from './registry/transliterate.js';
export { generateUin, generateVid, isValidUin, isValidVid } from './registry/uin.js';
export { type UpdatePersonRequest, updatePerson } from './registry/update-person.js';
export { verhoeffCheckDigit, verhoeffValid } from './registry/verhoeff.js';
export { issueVid, resolveVid, revokeVid } from './registry/virtual-ids.js';
export { type DecodedSdJwt, decodeSdJwt } from './sd-jwt/decode-sd-jwt.js';
export type { Disclosure as SdJwtDisclosure } from './sd-jwt/disclosures.js';
export { type IssueSdJwtVcContext, type IssueSdJwtVcInput, issueSdJwtVc } from './sd-jwt/issue-sd-jwt-vc.js';
export {
  type PresentSdJwtVcContext,
  type PresentSdJwtVcRequest,
  presentSdJwtVc,
} from './sd-jwt/present-sd-jwt-vc.js';
export { TRANSACTION_DATA_HASH_ALG, transactionDataHashes } from './sd-jwt/transaction-data-hashes.js';
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
// Trust lists (ETSI TS 119 602 profile): format, signing, the operator's use cases, the verifier's trust store.
export { addTrustedIssuer, type TrustedIssuerInput } from './trust-list/add-trusted-issuer.js';
export {
  DEFAULT_TRUST_LIST_REFRESH_BEFORE_SECONDS,
  DEFAULT_TRUST_LIST_VALIDITY_SECONDS,
  type TrustListContext,
} from './trust-list/context.js';
export {
  type AcceptedTrustList,
  createTrustStore,
  type ResolvedTrustedIssuer,
  type ResolveTrustedIssuerRequest,
  type TrustAnchor,
  type TrustListFreshness,
  type TrustListProvenance,
  type TrustStore,
  type TrustStoreOptions,
  type TrustStoreState,
} from './trust-list/create-trust-store.js';
export {
  encodeRecognition,
  encodeTrustedIssuer,
  encodeTrustList,
  encodeTrustListKey,
} from './trust-list/encode-trust-list.js';
export { formatIsoTime, parseIsoTime } from './trust-list/iso-time.js';
export {
  parseJurisdiction,
  parseRecognition,
  parseTrustedIssuer,
  parseTrustList,
  parseTrustListKey,
} from './trust-list/parse-trust-list.js';
export { prepareTrustListKey } from './trust-list/prepare-trust-list-key.js';
export { publishTrustList } from './trust-list/publish-trust-list.js';
export { type RecognitionInput, recogniseJurisdiction } from './trust-list/recognise-jurisdiction.js';
export { refreshTrustList } from './trust-list/refresh-trust-list.js';
export { rotateTrustListKey } from './trust-list/rotate-trust-list-key.js';
export { signTrustList } from './trust-list/sign-trust-list.js';
export {
  type Recognition,
  TRUST_LIST_JWT_TYP,
  TRUST_LIST_LIMITS,
  TRUST_LIST_MEDIA_TYPE,
  TRUST_LIST_VERSION,
  type TrustedIssuer,
  type TrustedIssuerStatus,
  type TrustList,
  type TrustListKey,
  type TrustListOperator,
  type TrustStatusChange,
} from './trust-list/trust-list.js';
export { unrecogniseJurisdiction } from './trust-list/unrecognise-jurisdiction.js';
export {
  type DecodedTrustList,
  decodeTrustListJws,
  readUnverifiedTrustList,
  type VerifiedTrustList,
  verifyTrustList,
} from './trust-list/verify-trust-list.js';
export { withdrawTrustedIssuer } from './trust-list/withdraw-trusted-issuer.js';
