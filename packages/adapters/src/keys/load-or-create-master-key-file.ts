import { randomBytes } from 'node:crypto';
import { constants, type FileHandle, link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AdapterError } from '../errors.js';
import { MASTER_KEY_LENGTH, MasterKey } from './master-key.js';

/**
 * Reads the master key from `path` (exactly 32 raw bytes), or creates the file with 32 random bytes
 * if it does not exist. The file is written under a temporary name with O_EXCL and mode 0600, then
 * hard-linked into place, so a crash never leaves a partial key and two processes starting at once
 * end up with the same key (the second one's link fails, it reads the first one's file).
 *
 * Refused with MASTER_KEY_FILE_UNSAFE: a file readable or writable by group or others (anyone who
 * can read it can decrypt every issuer key), something other than a regular file, a wrong length.
 * POSIX permissions only: on Windows the mode check is meaningless.
 */
export async function loadOrCreateMasterKeyFile(path: string): Promise<MasterKey> {
  if (typeof path !== 'string' || path === '')
    throw new TypeError('master key path must be a non-empty string');
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await createKeyFile(path);
  const created = await readKeyFile(path);
  if (!created)
    throw new AdapterError('MASTER_KEY_FILE_UNSAFE', 'master key file vanished after it was created');
  return created;
}

async function readKeyFile(path: string): Promise<MasterKey | undefined> {
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: a symlink planted in place of the key file is refused, not followed.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AdapterError('MASTER_KEY_FILE_UNSAFE', 'master key file cannot be opened', { cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new AdapterError('MASTER_KEY_FILE_UNSAFE', 'master key file is not a regular file');
    if ((stat.mode & 0o077) !== 0) {
      throw new AdapterError(
        'MASTER_KEY_FILE_UNSAFE',
        `master key file is accessible to group or others (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 it`,
      );
    }
    if (stat.size !== MASTER_KEY_LENGTH) {
      throw new AdapterError(
        'MASTER_KEY_FILE_UNSAFE',
        `master key file must hold exactly ${MASTER_KEY_LENGTH} bytes`,
      );
    }
    const bytes = Buffer.alloc(MASTER_KEY_LENGTH + 1);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    try {
      if (bytesRead !== MASTER_KEY_LENGTH) {
        throw new AdapterError(
          'MASTER_KEY_FILE_UNSAFE',
          `master key file must hold exactly ${MASTER_KEY_LENGTH} bytes`,
        );
      }
      return MasterKey.fromBytes(bytes.subarray(0, MASTER_KEY_LENGTH));
    } finally {
      bytes.fill(0);
    }
  } finally {
    await handle.close();
  }
}

async function createKeyFile(path: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const bytes = randomBytes(MASTER_KEY_LENGTH);
  try {
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, path);
    } catch (error) {
      // Another process created the key first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AdapterError('MASTER_KEY_FILE_UNSAFE', 'master key file cannot be created', {
          cause: error,
        });
      }
    }
  } finally {
    bytes.fill(0);
    await unlink(temporary).catch(() => {});
  }
}
