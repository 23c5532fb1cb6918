// Shared fixtures for the SD-JWT VC tests: real keys (node:crypto), a frozen clock, trust material.
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '../../../adapters/src/crypto/node-crypto.js';
import { type IssuerKeyResolver, type JsonObject, type Signer, TriesteError } from '../index.js';

export const crypto = nodeCrypto();
export const NOW = 1_750_000_000;
export const clock = { now: () => NOW };
export const ISS = 'https://issuer.trieste.example';
export const VCT = 'https://credentials.trieste.example/pid';

export const issuerSigner: Signer = nodeSigner(generatePrivateJwk('ES256'));
export const holderSigner: Signer = nodeSigner(generatePrivateJwk('ES256'));
export const otherSigner: Signer = nodeSigner(generatePrivateJwk('ES256'));
export const edSigner: Signer = nodeSigner(generatePrivateJwk('EdDSA'));

export const issuerKeys: IssuerKeyResolver = {
  async resolve({ iss, kid }) {
    return iss === ISS && kid === issuerSigner.kid ? issuerSigner.publicJwk : undefined;
  },
};

export const issueCtx = { signer: issuerSigner, crypto, clock };
export const holderCtx = { holder: holderSigner, crypto, clock };
export const verifyCtx = { crypto, issuerKeys, clock };

/** Claim values chosen to be recognisable, so a test can prove no message contains them. */
export const CLAIMS: JsonObject = {
  given_name: 'Ottavia-Secret',
  family_name: 'Zanetti-Secret',
  birthdate: '1984-02-29',
  address: { street: 'Via del Segreto 7', locality: 'Trieste-Secret', country: 'IT' },
  nationalities: ['IT-Secret', 'SI-Secret'],
  age_over_18: true,
};

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
}
