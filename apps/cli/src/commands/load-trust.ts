import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadTrustDirectory, nodeCrypto } from '@trieste/adapters';
import {
  createTrustStore,
  isTriesteError,
  jwkThumbprint,
  type PublicJwk,
  parseTrustListKey,
  type QrTrustedKey,
  type QrTrustMaterial,
  qrTrustFromTrustList,
  readUnverifiedTrustList,
  TRUST_LIST_LIMITS,
  TriesteError,
  type TrustList,
  type TrustListProvenance,
  type TrustStore,
  verifyTrustList,
} from '@trieste/core';
import { CliError } from '../errors.js';

/**
 * `--trust` for `trieste verify-qr` (docs/offline-qr.md "Trust lists in verify-qr"): a Trieste trust
 * list file, or a directory of trust lists (`*.jwt`, `*.jws`), pinned operator keys
 * (`*.operator.jwk|jwks|json`) and PEM/DER certificates and JWK files taken as trusted as they are.
 */
export interface TrustSources {
  /** A trust list file, or a directory. */
  trust: string;
  /** Files of pinned operator keys (`--operator-key`): a JWK, a JWK Set or `GET /trust/operator-keys`. */
  operatorKeyFiles: readonly string[];
  /** `--unpinned`: take a list no pinned key vouches for, checked only against its own announced keys. */
  unpinned: boolean;
  /** Why the verifier asks: required for an issuer of a recognised other jurisdiction. */
  purpose?: string;
  /** How long after next update a list is still used (default one day, as the trust store's). */
  graceSeconds?: number;
  /** The time verified at (NumericDate): which entries are granted and valid, how fresh each list is. */
  at: number;
}

/** A list as loaded, for the report. */
export interface LoadedTrustList {
  file: string;
  jurisdiction: string;
  sequenceNumber: number;
  issuedAt: number;
  nextUpdate: number;
  /** Signed by a pinned operator key, or recognised by a list that is (false only with --unpinned). */
  pinned: boolean;
  /** The pinned list of another jurisdiction whose recognition let this one in. */
  recognisedBy?: string;
  /** At `at`: fresh, stale-in-grace, or expired (past next update and the grace period). */
  freshness: 'fresh' | 'stale-in-grace' | 'expired';
}

/** Which list (and version) vouched for a key, attached to a valid result. */
export interface TrustVoucher {
  issuer: { id: string; name: string };
  list: TrustListProvenance & { file: string; pinned: boolean };
  recognisedBy?: TrustListProvenance;
}

/** Why a listed key is not trusted at `at`: the trust store's refusal, kept to explain a failure. */
export interface TrustRefusal {
  code: TriesteError['code'];
  message: string;
  issuer: { id: string; name: string };
  list: { file: string; jurisdiction: string; sequenceNumber: number };
}

export interface LoadedTrust {
  /** What verifyQrText is given: directory keys and the keys the lists vouch for at `at`. */
  material: QrTrustMaterial;
  /**
   * The listed keys the lists do NOT vouch for at `at` (withdrawn, outside validity, list past its
   * grace period, type or purpose not recognised). Never trusted: a code that verifies only under
   * one of these is refused, with `refusals` saying why.
   */
  refused: QrTrustMaterial;
  /** Trust entry label → the list that vouched, for the keys in `material` that came from a list. */
  vouchers: ReadonlyMap<string, TrustVoucher>;
  /** Trust entry label → why it is refused, for the keys in `refused`. */
  refusals: ReadonlyMap<string, TrustRefusal>;
  lists: LoadedTrustList[];
  /** Lines for people: unpinned lists, stale or expired lists. */
  warnings: string[];
}

const LIST_FILE = /\.(jwt|jws)$/i;
const OPERATOR_KEY_FILE = /\.operator\.(jwk|jwks|json)$/i;
const MAX_KEY_FILE_BYTES = 1024 * 1024;
const DEFAULT_GRACE_SECONDS = 86_400;

/** Pinned operator key, limited to one jurisdiction when its file says so (`GET /trust/operator-keys`). */
interface PinnedKey {
  key: PublicJwk & { kid: string };
  jurisdiction?: string;
}

interface ListFile {
  file: string;
  jws: string;
  list: TrustList;
  fetchedAt: number;
}

/**
 * Reads `--trust` and turns trust lists into QR trust material. Every list must verify under a
 * pinned operator key (`--operator-key` files and `*.operator.*` files in the directory), or under
 * the keys a pinned list's recognition names for its jurisdiction; a list neither pinned nor
 * recognised is TRUST_LIST_OPERATOR_UNTRUSTED unless `unpinned` (then it is checked against the
 * keys it announces itself, which proves only that it was not damaged, and a warning says so).
 *
 * The lists are held in the core trust store (one per pinned jurisdiction), and each listed issuer
 * is resolved there at `at` for each of its credential types, so the store's rules decide alone:
 * status at `at`, validity, certificate validity, recognition scoped to types and purposes, own
 * list first, next update + grace. Keys it vouches for become QR trust entries limited to that
 * issuer (`iss`) and those types (`dcc` → `hc1`); the others go to `refused` with the reason.
 */
export async function loadTrust(sources: TrustSources): Promise<LoadedTrust> {
  const grace = sources.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  let isDirectory: boolean;
  try {
    isDirectory = statSync(sources.trust).isDirectory();
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', 'cannot read --trust: no such file or directory', { cause });
  }
  const pinned = sources.operatorKeyFiles.flatMap((path) =>
    readOperatorKeys(readBounded(path, MAX_KEY_FILE_BYTES, 'operator key'), basename(path)),
  );
  let listPaths: string[];
  let directoryKeys: readonly QrTrustedKey[] = [];
  if (isDirectory) {
    const names = readdirSync(sources.trust)
      .filter((name) => !name.startsWith('.'))
      .sort();
    for (const name of names.filter((n) => OPERATOR_KEY_FILE.test(n))) {
      const path = join(sources.trust, name);
      pinned.push(...readOperatorKeys(readBounded(path, MAX_KEY_FILE_BYTES, 'operator key'), name));
    }
    listPaths = names.filter((name) => LIST_FILE.test(name)).map((name) => join(sources.trust, name));
    const directory = await loadTrustDirectory(sources.trust, {
      skip: (name) => LIST_FILE.test(name) || OPERATOR_KEY_FILE.test(name),
    });
    directoryKeys = directory.keys;
  } else {
    listPaths = [sources.trust];
  }

  const crypto = nodeCrypto();
  const files = listPaths
    .map((path) => readListFile(path))
    // Oldest first, so the store keeps the newest version of each jurisdiction (an older one
    // given after a newer one would be a rollback).
    .sort((a, b) => a.list.sequenceNumber - b.list.sequenceNumber);
  const warnings: string[] = [];
  const stores = new Map<string, TrustStore>();
  const loaded = new Map<ListFile, LoadedTrustList>();
  const anchorsFor = (jurisdiction: string) =>
    pinned
      .filter((pin) => pin.jurisdiction === undefined || pin.jurisdiction === jurisdiction)
      .map((pin) => pin.key);

  // 1. Lists signed by a pinned key: each jurisdiction's own trust store.
  const others: ListFile[] = [];
  for (const file of files) {
    const jurisdiction = file.list.operator.jurisdiction;
    const anchors = anchorsFor(jurisdiction);
    const pinnedBy = anchors.length > 0 && (await verifiesUnder(file, anchors, crypto));
    if (!pinnedBy) {
      others.push(file);
      continue;
    }
    let store = stores.get(jurisdiction);
    if (!store) {
      store = createTrustStore({ home: { jurisdiction, keys: anchors }, crypto, graceSeconds: grace });
      stores.set(jurisdiction, store);
    }
    await accept(store, file);
    loaded.set(file, describe(file, true, sources.at, grace));
  }
  // 2. Lists a pinned list recognises (under the operator keys the recognition names).
  const unpinned: ListFile[] = [];
  for (const file of others) {
    const jurisdiction = file.list.operator.jurisdiction;
    const recogniser = [...stores.values()].find((store) =>
      store.recognitions().some((recognition) => recognition.jurisdiction === jurisdiction),
    );
    if (!recogniser) {
      unpinned.push(file);
      continue;
    }
    await accept(recogniser, file);
    loaded.set(file, { ...describe(file, true, sources.at, grace), recognisedBy: recogniser.jurisdiction });
  }
  // 3. The rest: refused, unless the user said explicitly that an unpinned list will do.
  for (const file of unpinned) {
    const jurisdiction = file.list.operator.jurisdiction;
    if (!sources.unpinned) {
      throw new TriesteError(
        'TRUST_LIST_OPERATOR_UNTRUSTED',
        `${file.file}: the trust list of ${jurisdiction} is not signed by a pinned operator key nor recognised by a pinned list: pin its operator key (--operator-key <jwk-file>, or ${jurisdiction.toLowerCase()}.operator.jwk in the trust directory), or accept it unchecked with --unpinned`,
      );
    }
    // A pin for this jurisdiction that does not verify the list is a warning sign, not a gap
    // --unpinned may fill.
    if (stores.has(jurisdiction) || pinned.some((pin) => pin.jurisdiction === jurisdiction)) {
      throw new TriesteError(
        'TRUST_LIST_OPERATOR_UNTRUSTED',
        `${file.file}: the trust list of ${jurisdiction} is not signed by the pinned operator key of ${jurisdiction}`,
      );
    }
    // Its own announced keys: this proves the file is intact, not who wrote it.
    const store = createTrustStore({
      home: { jurisdiction, keys: file.list.operator.keys },
      crypto,
      graceSeconds: grace,
    });
    await accept(store, file);
    stores.set(jurisdiction, store);
    loaded.set(file, describe(file, false, sources.at, grace));
    warnings.push(
      `${file.file}: the signature of the trust list of ${jurisdiction} (version ${file.list.sequenceNumber}) was not checked against a pinned operator key (--unpinned): anyone could have written it`,
    );
  }

  // The versions the stores hold (an older file of the same jurisdiction was superseded).
  const held = new Set(
    [...stores.values()].flatMap((store) =>
      store.lists().map((list) => `${list.jurisdiction}#${list.sequenceNumber}`),
    ),
  );
  const current = files.filter((file) =>
    held.has(`${file.list.operator.jurisdiction}#${file.list.sequenceNumber}`),
  );
  for (const file of current) {
    const info = loaded.get(file)!;
    if (info.freshness === 'stale-in-grace') {
      warnings.push(
        `${file.file}: the trust list of ${info.jurisdiction} (version ${info.sequenceNumber}) is past its next update (${iso(info.nextUpdate)}); it is used in its grace period until ${iso(info.nextUpdate + grace)}`,
      );
    } else if (info.freshness === 'expired') {
      warnings.push(
        `${file.file}: the trust list of ${info.jurisdiction} (version ${info.sequenceNumber}) is past its next update and grace period (${iso(info.nextUpdate + grace)}): its issuers are not trusted`,
      );
    }
  }

  const keys: QrTrustedKey[] = [...directoryKeys];
  const refusedKeys: QrTrustedKey[] = [];
  const vouchers = new Map<string, TrustVoucher>();
  const refusals = new Map<string, TrustRefusal>();
  for (const file of current) {
    const info = loaded.get(file)!;
    const store = stores.get(info.recognisedBy ?? info.jurisdiction)!;
    const mapped = qrTrustFromTrustList(store, file.list, {
      now: sources.at,
      ...(sources.purpose === undefined ? {} : { purpose: sources.purpose }),
      labelPrefix: `${info.jurisdiction} trust list #${info.sequenceNumber} (${file.file})`,
    });
    keys.push(...mapped.keys);
    refusedKeys.push(...mapped.refusedKeys);
    for (const { label, issuer, provenance } of mapped.vouchers) {
      const { recognisedBy, ...list } = provenance;
      vouchers.set(label, {
        issuer,
        list: { ...list, file: file.file, pinned: info.pinned },
        ...(recognisedBy ? { recognisedBy } : {}),
      });
    }
    for (const { label, code, message, issuer } of mapped.refusals) {
      refusals.set(label, {
        code,
        message,
        issuer,
        list: { file: file.file, jurisdiction: info.jurisdiction, sequenceNumber: info.sequenceNumber },
      });
    }
  }
  return {
    material: { keys },
    refused: { keys: refusedKeys },
    vouchers,
    refusals,
    lists: current.map((file) => loaded.get(file)!),
    warnings,
  };
}

async function verifiesUnder(
  file: ListFile,
  keys: ReadonlyArray<PublicJwk & { kid?: string }>,
  crypto: ReturnType<typeof nodeCrypto>,
): Promise<boolean> {
  try {
    await verifyTrustList(file.jws, { keys, crypto });
    return true;
  } catch (error) {
    // Not one of these keys: maybe another list recognises it. Any other failure (a bad signature
    // under a pinned key's kid, a malformed list) is reported as it is.
    if (isTriesteError(error) && error.code === 'TRUST_LIST_OPERATOR_UNTRUSTED') return false;
    throw named(error, file.file);
  }
}

async function accept(store: TrustStore, file: ListFile): Promise<void> {
  try {
    await store.accept(file.jws, file.fetchedAt);
  } catch (error) {
    throw named(error, file.file);
  }
}

function describe(file: ListFile, pinned: boolean, at: number, grace: number): LoadedTrustList {
  const { list } = file;
  return {
    file: file.file,
    jurisdiction: list.operator.jurisdiction,
    sequenceNumber: list.sequenceNumber,
    issuedAt: list.issuedAt,
    nextUpdate: list.nextUpdate,
    pinned,
    freshness: at <= list.nextUpdate ? 'fresh' : at <= list.nextUpdate + grace ? 'stale-in-grace' : 'expired',
  };
}

function readListFile(path: string): ListFile {
  const name = basename(path);
  const jws = readBounded(path, TRUST_LIST_LIMITS.maxJwsLength + 2, 'trust list').trim();
  let list: TrustList;
  try {
    // Read, not trusted: only to learn which jurisdiction's keys to verify it with.
    list = readUnverifiedTrustList(jws).list;
  } catch (error) {
    throw named(error, name);
  }
  let fetchedAt: number;
  try {
    fetchedAt = Math.floor(statSync(path).mtimeMs / 1000);
  } catch (cause) {
    throw new CliError('INPUT_UNREADABLE', `cannot read ${name}`, { cause });
  }
  return { file: name, jws, list, fetchedAt };
}

function readBounded(path: string, maxBytes: number, what: string): string {
  const name = basename(path);
  try {
    if (statSync(path).size > maxBytes) {
      throw new CliError('INPUT_INVALID', `${name}: a ${what} file is at most ${maxBytes} bytes`);
    }
    return readFileSync(path, 'utf8');
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw new CliError('INPUT_UNREADABLE', `cannot read the ${what} file ${name}`, { cause });
  }
}

/**
 * Pinned operator keys from a file: a public JWK, a JWK Set, or what `GET /trust/operator-keys`
 * serves (`{ jurisdiction, keys: [{ kid, state, public_jwk }] }`: its keys pin that jurisdiction
 * only, and retired keys are left out — a key retired after a compromise must not vouch again).
 * A key without `kid` is named by its RFC 7638 thumbprint, as trust lists name operator keys.
 */
function readOperatorKeys(text: string, name: string): PinnedKey[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    // The parser's message may quote the file: keep it as the cause only.
    throw new TriesteError('KEY_INVALID', `${name} is not JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TriesteError('KEY_INVALID', `${name} is not a JWK, a JWK Set or an operator key list`);
  }
  const record = value as Record<string, unknown>;
  const jurisdiction = typeof record['jurisdiction'] === 'string' ? record['jurisdiction'] : undefined;
  const entries = record['keys'] === undefined ? [value] : record['keys'];
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new TriesteError('KEY_INVALID', `${name} has no keys`);
  }
  const crypto = nodeCrypto();
  const keys: PinnedKey[] = [];
  for (const [i, entry] of entries.entries()) {
    const what = `${name} key ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new TriesteError('KEY_INVALID', `${what} is not a JWK`);
    }
    const item = entry as Record<string, unknown>;
    if (item['state'] === 'retired') continue;
    const jwk = (item['public_jwk'] ?? item) as Record<string, unknown>;
    const kid = typeof item['kid'] === 'string' ? item['kid'] : undefined;
    // parseTrustListKey: P-256 or Ed25519, public only (a private key is KEY_INVALID), strict members.
    const parsed = parseTrustListKey({ ...jwk, kid: kid ?? 'pinned' }, what);
    const key = { ...parsed.jwk, kid: kid ?? jwkThumbprint(parsed.jwk, crypto) };
    keys.push(jurisdiction === undefined ? { key } : { key, jurisdiction });
  }
  if (keys.length === 0) throw new TriesteError('KEY_INVALID', `${name} has no key that is not retired`);
  return keys;
}

/** A core error with the file it is about in front (the core's messages name fields, never values). */
function named(error: unknown, file: string): unknown {
  if (!isTriesteError(error)) return error;
  return new TriesteError(error.code, `${file}: ${error.message}`, { cause: error });
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
