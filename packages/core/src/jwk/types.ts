/** Signature algorithms Trieste signs and verifies with (RFC 7518 §3.4; RFC 8037 §3.1). */
export type SignatureAlg = 'ES256' | 'EdDSA';

export const SIGNATURE_ALGS: readonly SignatureAlg[] = ['ES256', 'EdDSA'];

export function isSignatureAlg(value: unknown): value is SignatureAlg {
  return value === 'ES256' || value === 'EdDSA';
}

export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid?: string;
  alg?: string;
  use?: string;
}

export interface OkpPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid?: string;
  alg?: string;
  use?: string;
}

export type PublicJwk = EcPublicJwk | OkpPublicJwk;

export type PrivateJwk = (EcPublicJwk & { d: string }) | (OkpPublicJwk & { d: string });
