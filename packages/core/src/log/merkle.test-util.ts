// Shared by the Merkle and tile tests: a node:crypto Hasher, the RFC 6962 reference leaves, and
// the transparency-dev/merkle proof test data.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hasher } from '../ports.js';

export const nodeHasher: Hasher = {
  sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
};

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * The eight leaves of the RFC 6962 reference test data, as used by transparency-dev/merkle
 * (proof/verify_test.go `leaves`, Apache-2.0) and Certificate Transparency's merkle_tree_test.
 */
export const REFERENCE_LEAVES: readonly Uint8Array[] = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex);

/** A leaf hash unique to `index` (so no proof can be valid for another index by coincidence). */
export function uniqueLeafHash(hasher: Hasher, index: number, salt = 0): Uint8Array {
  const data = new Uint8Array(16);
  const view = new DataView(data.buffer);
  view.setFloat64(0, index);
  view.setFloat64(8, salt);
  return hasher.sha256(data);
}

// transparency-dev/merkle `testdata/` (Apache-2.0), copied to shared/vectors/merkle/testdata;
// see shared/vectors/README.md. Hashes are base64; `wantErr` cases are mutations of good proofs.
const VECTORS = fileURLToPath(new URL('../../../../../shared/vectors/merkle/testdata/', import.meta.url));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
    });
}

interface RawInclusion {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface RawConsistency {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

export function inclusionVectors() {
  const dir = join(VECTORS, 'inclusion');
  return jsonFiles(dir).map((path) => {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as RawInclusion;
    return {
      name: relative(dir, path),
      wantErr: raw.wantErr,
      input: {
        index: raw.leafIdx,
        size: raw.treeSize,
        leafHash: fromBase64(raw.leafHash),
        proof: (raw.proof ?? []).map(fromBase64),
        root: fromBase64(raw.root),
      },
    };
  });
}

export function consistencyVectors() {
  const dir = join(VECTORS, 'consistency');
  return jsonFiles(dir).map((path) => {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as RawConsistency;
    return {
      name: relative(dir, path),
      wantErr: raw.wantErr,
      input: {
        oldSize: raw.size1,
        newSize: raw.size2,
        oldRoot: fromBase64(raw.root1),
        newRoot: fromBase64(raw.root2),
        proof: (raw.proof ?? []).map(fromBase64),
      },
    };
  });
}
