import { fail } from '../errors.js';
import type { TrustListVersion } from '../ports.js';
import { changeTrustList } from './change-trust-list.js';
import type { TrustListContext } from './context.js';

/**
 * Ends the recognition of another jurisdiction and publishes the new version: from it on,
 * verifiers that hold it stop accepting that jurisdiction's issuers. A jurisdiction not recognised
 * is TRUST_LIST_NOT_RECOGNISED (and nothing is published).
 */
export async function unrecogniseJurisdiction(
  context: TrustListContext,
  jurisdiction: string,
): Promise<{ version: TrustListVersion }> {
  if (typeof jurisdiction !== 'string') throw new TypeError('jurisdiction must be a string');
  const { version } = await changeTrustList(context, async (stores) => {
    if (!(await stores.trustLists.deleteRecognition(jurisdiction))) {
      throw fail('TRUST_LIST_NOT_RECOGNISED', 'this jurisdiction is not recognised');
    }
  });
  return { version };
}
