import { fail } from '../errors.js';
import { verifyCosignature } from './cosignature.js';
import { parseNote } from './parse-note.js';
import { type LogContext, type PublishedCheckpoint, withCosignatures } from './publish-checkpoint.js';

/**
 * Accepts a witness's cosignature of the latest checkpoint (c2sp.org/tlog-cosignature): the line
 * must verify with the key of a witness the operator configured, over exactly the checkpoint the
 * log published. Lines from anyone else are refused, so the published checkpoint carries only
 * cosignatures a verifier's policy can count.
 */
export async function addCosignature(context: LogContext, line: string): Promise<PublishedCheckpoint> {
  const { stores, crypto } = context;
  const latest = await stores.log.latestCheckpoint();
  if (!latest) throw fail('LOG_NOTE_UNVERIFIED', 'the log has published no checkpoint to cosign');
  const text = parseNote(latest.note).text;
  const trimmed = line.trim();
  let witness: string | undefined;
  for (const candidate of await stores.log.witnesses()) {
    try {
      await verifyCosignature(text, trimmed, candidate.vkey, { crypto });
      witness = candidate.name;
      break;
    } catch {
      // Not this witness's line, or not valid: try the next configured witness.
    }
  }
  if (!witness)
    throw fail('LOG_NOTE_UNVERIFIED', 'the cosignature is not a valid one by a configured witness');
  await stores.log.saveCosignature({ size: latest.size, witness, line: trimmed });
  return withCosignatures(context, latest);
}
