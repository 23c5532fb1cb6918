import type { Stores } from '../ports.js';
import type { PersonData } from './person.js';

/**
 * The hook from the registry to the person's credentials. A lifecycle use case does not change
 * credential statuses itself (it knows no status lists): it returns, in the same transaction's
 * result, which of the person's credentials (linked with `RegistryStore.linkCredential`) must be
 * suspended, revoked or reinstated, and whether a new credential should be issued. The caller
 * applies them (`changeCredentialStatus`) and re-issues:
 *
 * | change                      | credentials             | reissue |
 * |-----------------------------|-------------------------|---------|
 * | data in a credential changed | revoke                 | yes     |
 * | deactivated                 | suspend                 | no      |
 * | reactivated                 | reinstate               | no      |
 * | deceased                    | revoke                  | no      |
 * | merged into another record  | revoke (the merged one's) | the survivor's holder may ask |
 */
export interface CredentialEffects {
  suspend: string[];
  revoke: string[];
  reinstate: string[];
  reissue: boolean;
}

export const NO_CREDENTIAL_EFFECTS: CredentialEffects = Object.freeze({
  suspend: [],
  revoke: [],
  reinstate: [],
  reissue: false,
}) as CredentialEffects;

/** The fields a national identity credential carries: a change in any of them revokes and re-issues. */
export const CREDENTIAL_FIELDS: readonly (keyof PersonData)[] = [
  'names',
  'dateOfBirth',
  'sex',
  'placeOfBirth',
  'address',
  'nationality',
  'legalStatus',
  'photo',
];

export async function credentialEffects(
  stores: Stores,
  personId: string,
  action: 'suspend' | 'revoke' | 'reinstate',
  reissue = false,
): Promise<CredentialEffects> {
  const ids = await stores.registry.credentialsOf(personId);
  return {
    suspend: action === 'suspend' ? ids : [],
    revoke: action === 'revoke' ? ids : [],
    reinstate: action === 'reinstate' ? ids : [],
    reissue,
  };
}
