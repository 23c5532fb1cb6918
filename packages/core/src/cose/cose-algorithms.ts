/**
 * The COSE signature algorithms we verify (IANA "COSE Algorithms"; RFC 9053 §2.1 ECDSA and EdDSA,
 * RFC 8230 §2 RSASSA-PSS). ES256 and PS256 are the EU DCC's primary and secondary algorithms;
 * Claim 169 suggests Ed25519 or ECDSA. Every other algorithm, above all the MAC and "none"-like
 * ones, is refused with ALG_NOT_ALLOWED before any key is touched.
 */
export type CoseAlgorithm = 'ES256' | 'ES384' | 'EdDSA' | 'PS256';

export const COSE_ALGORITHM_IDS: Readonly<Record<CoseAlgorithm, number>> = {
  ES256: -7,
  ES384: -35,
  EdDSA: -8,
  PS256: -37,
};

export function coseAlgorithmName(id: number): CoseAlgorithm | undefined {
  for (const [name, value] of Object.entries(COSE_ALGORITHM_IDS)) {
    if (value === id) return name as CoseAlgorithm;
  }
  return undefined;
}

/**
 * Public key types a trust entry may hold. Each is used with exactly one algorithm, so an attacker
 * who picks the header's `alg` cannot make a key be used in a way its owner never intended.
 */
export type CoseKeyType = 'EC P-256' | 'EC P-384' | 'OKP Ed25519' | 'RSA';

export const ALGORITHM_FOR_KEY_TYPE: Readonly<Record<CoseKeyType, CoseAlgorithm>> = {
  'EC P-256': 'ES256',
  'EC P-384': 'ES384',
  'OKP Ed25519': 'EdDSA',
  RSA: 'PS256',
};

/** RFC 8230 §4 asks for at least 2048-bit moduli; the DCC specification uses 2048. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** WebCrypto parameters to import a key of this type for this algorithm. */
export function importParameters(alg: CoseAlgorithm): EcKeyImportParams | RsaHashedImportParams | Algorithm {
  switch (alg) {
    case 'ES256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ES384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'EdDSA':
      return { name: 'Ed25519' };
    case 'PS256':
      return { name: 'RSA-PSS', hash: 'SHA-256' };
  }
}

/** WebCrypto parameters to verify with. PS256's salt is as long as its hash (RFC 8230 §2). */
export function verifyParameters(alg: CoseAlgorithm): EcdsaParams | RsaPssParams | Algorithm {
  switch (alg) {
    case 'ES256':
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'ES384':
      return { name: 'ECDSA', hash: 'SHA-384' };
    case 'EdDSA':
      return { name: 'Ed25519' };
    case 'PS256':
      return { name: 'RSA-PSS', saltLength: 32 };
  }
}

/** Signature length in bytes: ECDSA r‖s (RFC 9053 §2.1), Ed25519, or the RSA modulus length. */
export function signatureLength(alg: CoseAlgorithm, rsaModulusBits?: number): number | undefined {
  switch (alg) {
    case 'ES256':
    case 'EdDSA':
      return 64;
    case 'ES384':
      return 96;
    case 'PS256':
      return rsaModulusBits === undefined ? undefined : Math.ceil(rsaModulusBits / 8);
  }
}
