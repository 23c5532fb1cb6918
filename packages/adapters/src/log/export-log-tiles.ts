import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  encodeEntryBundle,
  entryBundlePath,
  readHashTile,
  type TransparencyLogStore,
  TriesteError,
  tilePath,
  tilesForTreeSize,
  treeRoot,
  utf8Encode,
} from '@trieste/core';
import { nodeCrypto } from '../crypto/node-crypto.js';
import { readCheckpointBody } from './read-checkpoint-body.js';

const TILE_WIDTH = 256;

/** What one export did: the checkpoint's size, files written, full tiles found already written. */
export interface LogTilesExport {
  size: number;
  written: number;
  kept: number;
}

/**
 * Writes the static tlog-tiles view of the log at the size of `checkpointNote` into `dir`
 * (c2sp.org/tlog-tiles): `checkpoint`, every hash tile `tile/<L>/<N>[.p/<W>]` and every entry
 * bundle `tile/entries/<N>[.p/<W>]`, ready for any static file server or bucket.
 *
 * - Each file is written under a temporary name, synced and renamed into place, so a reader (or a
 *   crash) never sees a partial file; `checkpoint` is written last, so every tile it implies exists
 *   before it is served.
 * - Idempotent: a full tile or bundle never changes once written and is not rewritten; partial
 *   ones are (re)written at the checkpoint's width, older widths stay valid and are left in place.
 * - The checkpoint's root must be the store's root at its size (LOG_INCONSISTENT otherwise), so a
 *   note that does not describe these tiles is never published beside them. Its signature is the
 *   caller's business (it signed it).
 */
export async function exportLogTiles(
  store: TransparencyLogStore,
  dir: string,
  options: { checkpointNote: string },
): Promise<LogTilesExport> {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a directory path');
  const { checkpointNote } = options;
  const checkpoint = readCheckpointBody(checkpointNote);
  const { size } = checkpoint;
  if (size > (await store.state()).size) {
    throw new TriesteError('LOG_INCONSISTENT', 'the checkpoint is ahead of the sequenced log');
  }
  const root = await treeRoot(size, store, nodeCrypto());
  if (!Buffer.from(root).equals(checkpoint.rootHash)) {
    throw new TriesteError('LOG_INCONSISTENT', 'the checkpoint root hash is not the log root at its size');
  }

  const result: LogTilesExport = { size, written: 0, kept: 0 };
  const put = async (path: string, full: boolean, content: () => Promise<Uint8Array>) => {
    const file = join(dir, path);
    if (full && (await isFile(file))) {
      result.kept++;
      return;
    }
    await writeFileAtomically(file, await content());
    result.written++;
  };
  for (const tile of tilesForTreeSize(size)) {
    const full = tile.width === TILE_WIDTH;
    await put(tilePath(tile.level, tile.index, tile.width), full, () =>
      readHashTile(store, tile.level, tile.index, tile.width),
    );
    if (tile.level === 0) {
      const start = tile.index * TILE_WIDTH;
      await put(entryBundlePath(tile.index, tile.width), full, async () =>
        encodeEntryBundle(await store.entries(start, start + tile.width)),
      );
    }
  }
  await writeFileAtomically(join(dir, 'checkpoint'), utf8Encode(checkpointNote));
  result.written++;
  return result;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Temporary file in the same directory (so rename is atomic), synced, then renamed over `path`. */
async function writeFileAtomically(path: string, content: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}
