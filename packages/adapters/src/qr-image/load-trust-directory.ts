import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  base64Decode,
  type JsonObject,
  prepareQrTrust,
  type QrTrustedKey,
  type QrTrustMaterial,
  TriesteError,
} from '@trieste/core';
import { AdapterError } from '../errors.js';

/** A directory's trust material, and the files in it that were not read (other extensions). */
export interface TrustDirectory extends QrTrustMaterial {
  ignored: string[];
}

export interface LoadTrustDirectoryOptions {
  /**
   * Files the caller reads itself (trust lists, pinned operator keys): neither read as keys nor
   * listed in `ignored`. An operator key must never also become a trusted issuer key.
   */
  skip?: (name: string) => boolean;
}

const CERTIFICATE_FILES = new Set(['.pem', '.crt', '.cer', '.der']);
const JWK_FILES = new Set(['.jwk', '.jwks', '.json']);
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 10_000;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/**
 * Reads a directory of trust material taken as trusted as it is — for importing another system's
 * keys (a national backend's Document Signer Certificates, a registry's JWK) and for tests. Not
 * recursive; hidden files are skipped. Per file, by extension:
 * - `.pem`, `.crt`, `.cer`: one or more PEM certificates (or, failing that, one DER certificate);
 * - `.der`: one DER certificate;
 * - `.jwk`, `.jwks`, `.json`: a public JWK, or a JWK Set (`{"keys": [...]}`).
 * Each key is labelled with its file name (and `#index` within a set). Entries carry no issuer or
 * type restriction: a directory cannot say more than "trust these keys". The material is checked
 * before it is returned (prepareQrTrust), so a malformed file is KEY_INVALID naming the file. A
 * directory that cannot be read is NOT_FOUND. Names `options.skip` accepts are left to the caller.
 */
export async function loadTrustDirectory(
  dir: string,
  options: LoadTrustDirectoryOptions = {},
): Promise<TrustDirectory> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (cause) {
    throw new AdapterError('NOT_FOUND', 'cannot read the trust directory', { cause });
  }
  if (names.length > MAX_FILES)
    throw new AdapterError('NOT_FOUND', `trust directory has over ${MAX_FILES} files`);
  const keys: QrTrustedKey[] = [];
  const ignored: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || options.skip?.(name)) continue;
    const extension = extname(name).toLowerCase();
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (!CERTIFICATE_FILES.has(extension) && !JWK_FILES.has(extension)) {
      ignored.push(name);
      continue;
    }
    if (info.size > MAX_FILE_BYTES)
      throw new TriesteError('KEY_INVALID', `${name} is larger than a key file can be`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (cause) {
      throw new AdapterError('NOT_FOUND', `cannot read ${name}`, { cause });
    }
    keys.push(...(CERTIFICATE_FILES.has(extension) ? certificates(bytes, name) : jwks(bytes, name)));
  }
  const material: TrustDirectory = { keys, ignored };
  await prepareQrTrust(material);
  return material;
}

function certificates(bytes: Uint8Array, name: string): QrTrustedKey[] {
  const text = new TextDecoder().decode(bytes);
  const blocks = [...text.matchAll(PEM_CERTIFICATE)];
  if (blocks.length === 0) {
    // DER: an ASN.1 SEQUENCE. Anything else is refused now, not when a code is verified.
    if (bytes[0] !== 0x30) throw new TriesteError('KEY_INVALID', `${name} holds no certificate`);
    return [{ certificate: bytes, label: name }];
  }
  return blocks.map((block, i) => {
    let der: Uint8Array;
    try {
      der = base64Decode(block[1]!.replace(/\s+/g, ''), name);
    } catch (cause) {
      throw new TriesteError('KEY_INVALID', `${name} has a PEM block that is not base64`, { cause });
    }
    return { certificate: der, label: blocks.length === 1 ? name : `${name}#${i}` };
  });
}

function jwks(bytes: Uint8Array, name: string): QrTrustedKey[] {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    // The parser's message may quote the file: keep it as the cause only.
    throw new TriesteError('KEY_INVALID', `${name} is not JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TriesteError('KEY_INVALID', `${name} is not a JWK or a JWK Set`);
  }
  const set = (value as { keys?: unknown }).keys;
  if (set === undefined) return [{ jwk: value as JsonObject, label: name }];
  if (!Array.isArray(set))
    throw new TriesteError('KEY_INVALID', `${name} has a keys member that is not an array`);
  return set.map((jwk, i) => ({ jwk: jwk as JsonObject, label: `${name}#${i}` }));
}
