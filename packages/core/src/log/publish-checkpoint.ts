import type { Clock, CryptoPort, Stores } from '../ports.js';
import { formatCheckpoint } from './checkpoint.js';
import { signNote } from './sign-note.js';
import { signerVerifierKey } from './verifier-key.js';

/** What the log use cases need: the stores, crypto and the log's origin (its key name too). */
export interface LogContext {
  stores: Stores;
  crypto: CryptoPort;
  clock: Clock;
  /** tlog-checkpoint §Note text: a schema-less URL naming the log, e.g. `id.example.gov/log`. */
  origin: string;
}

export interface PublishedCheckpoint {
  size: number;
  /** The signed checkpoint with every cosignature the log holds for it. */
  note: string;
}

/**
 * Sequences what is queued, then signs a checkpoint over the committed tree. The order is the
 * guarantee "durable before visible": the sequencing transaction has committed before anything
 * is signed, so no signed checkpoint can name an entry a crash could still lose. Signs again only
 * when the tree grew; the latest checkpoint is returned with its cosignatures.
 */
export async function publishCheckpoint(context: LogContext): Promise<PublishedCheckpoint> {
  const { stores, crypto, origin } = context;
  let state = await stores.log.sequence(crypto);
  while (state.sequenced > 0 && (await stores.log.pending()) > 0) state = await stores.log.sequence(crypto);
  const latest = await stores.log.latestCheckpoint();
  if (latest && latest.size === state.size) return withCosignatures(context, latest);
  const text = formatCheckpoint({ origin, size: state.size, rootHash: state.rootHash });
  const note = await signNote(text, [{ name: origin, signer: await stores.log.signer() }], crypto);
  await stores.log.saveCheckpoint({ size: state.size, note });
  return { size: state.size, note };
}

/** The latest checkpoint as served: the log's note followed by the witnesses' cosignature lines. */
export async function withCosignatures(
  context: Pick<LogContext, 'stores'>,
  checkpoint: { size: number; note: string },
): Promise<PublishedCheckpoint> {
  const cosignatures = await context.stores.log.cosignatures(checkpoint.size);
  const lines = cosignatures.map((c) => `${c.line}\n`).join('');
  return { size: checkpoint.size, note: checkpoint.note + lines };
}

/** The log's verifier key, `origin+hash+base64` (c2sp.org/signed-note), for verifiers to pin. */
export async function logVerifierKey(
  context: Pick<LogContext, 'stores' | 'crypto' | 'origin'>,
): Promise<string> {
  return signerVerifierKey(context.crypto, context.origin, await context.stores.log.signer());
}
