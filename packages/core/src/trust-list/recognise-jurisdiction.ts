import { fail } from '../errors.js';
import type { TrustListVersion } from '../ports.js';
import { changeTrustList } from './change-trust-list.js';
import type { TrustListContext } from './context.js';
import { parseRecognition } from './parse-trust-list.js';
import type { Recognition } from './trust-list.js';

export interface RecognitionInput {
  jurisdiction: string;
  operatorName: string;
  /** Where that jurisdiction publishes its list. */
  listUri: string;
  /**
   * Its operator's public JWKs with `kid`, obtained and checked out of band (e.g. its published
   * operator keys, compared by thumbprint with what its operator communicated).
   */
  operatorKeys: unknown[];
  credentialTypes: string[];
  purposes: string[];
}

/**
 * Recognises another jurisdiction's list operator for some credential types and purposes (or
 * replaces that recognition), and publishes the new version. Checked by the list's parser
 * (MALFORMED, KEY_INVALID); recognising one's own jurisdiction is MALFORMED.
 */
export async function recogniseJurisdiction(
  context: TrustListContext,
  input: RecognitionInput,
): Promise<{ recognition: Recognition; created: boolean; version: TrustListVersion }> {
  if (typeof input !== 'object' || input === null) throw new TypeError('input must be an object');
  const recognition = parseRecognition(
    {
      jurisdiction: input.jurisdiction,
      operator_name: input.operatorName,
      list_uri: input.listUri,
      operator_keys: input.operatorKeys,
      credential_types: input.credentialTypes,
      purposes: input.purposes,
    },
    'recognition',
  );
  if (recognition.jurisdiction === context.operator.jurisdiction) {
    throw fail('MALFORMED', 'a trust list cannot recognise its own jurisdiction');
  }
  const { result, version } = await changeTrustList(context, async (stores) => {
    const existed = (await stores.trustLists.recognitions()).some(
      (r) => r.jurisdiction === recognition.jurisdiction,
    );
    await stores.trustLists.putRecognition(recognition);
    return !existed;
  });
  return { recognition, created: result, version };
}
