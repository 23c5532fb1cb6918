/**
 * The `typ` of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-25 §3.2.1). Drafts before -06 used
 * `vc+sd-jwt`; verifiers accept it during the transition (the draft asks them to), issuers never
 * write it.
 */
export const SD_JWT_VC_TYP = 'dc+sd-jwt';
export const LEGACY_SD_JWT_VC_TYP = 'vc+sd-jwt';

/** The `typ` of a Key Binding JWT (RFC 9901 §4.3). */
export const KB_JWT_TYP = 'kb+jwt';
