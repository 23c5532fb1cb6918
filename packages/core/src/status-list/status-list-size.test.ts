import { Buffer } from 'node:buffer';
// Correctness at the scale the draft designs for (§1, "Design Considerations": "the
// Status List shall scale up to millions of tokens"): set/get over 10 million entries, and the
// compressed size of a 10-million-entry list with 1% revoked, printed beside the draft's figure.
import { describe, expect, it } from 'vitest';
import { decodeStatusList } from './decode-status-list.js';
import { DRAFT_STATUS_LIST_SIZE_FIGURES } from './draft-figures.js';
import { encodeStatusList } from './encode-status-list.js';
import { STATUS, StatusList } from './status-list.js';

const TEN_MILLION = 10_000_000;

// A fixed-seed generator (xorshift32), so the measured size is the same on every run.
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

describe('10 million entries', () => {
  it('sets and gets every entry of a 10M-entry list, at every bit size, exactly', () => {
    for (const bits of [1, 2, 4, 8] as const) {
      const list = new StatusList(TEN_MILLION, bits);
      const mask = 2 ** bits - 1;
      for (let i = 0; i < TEN_MILLION; i++) list.set(i, i & mask);
      let sum = 0;
      for (let i = 0; i < TEN_MILLION; i++) sum += list.get(i);
      let expected = 0;
      for (let i = 0; i < TEN_MILLION; i++) expected += i & mask;
      expect(sum).toBe(expected);
    }
  });

  it('compresses 10M entries with 1% revoked to about the size the draft reports', () => {
    const list = new StatusList(TEN_MILLION, 1);
    const next = xorshift(0x5eed);
    const revoked = new Set<number>();
    while (revoked.size < TEN_MILLION / 100) revoked.add(next() % TEN_MILLION);
    for (const index of revoked) list.set(index, STATUS.INVALID);

    const encoded = encodeStatusList(list);
    const compressedBytes = Buffer.from(encoded.lst, 'base64url').length;
    const decoded = decodeStatusList(encoded).list;

    const { headline, source } = DRAFT_STATUS_LIST_SIZE_FIGURES;
    console.info(
      `10M entries, 1% revoked: ours ${(compressedBytes / 1024).toFixed(1)} KiB compressed ` +
        `(lst ${(encoded.lst.length / 1024).toFixed(1)} KiB); ` +
        `draft: ${headline.compressed} (${source})`,
    );
    // Same order of magnitude as the draft's 135.4 KB: fflate's DEFLATE is a little weaker than zlib's.
    expect(compressedBytes).toBeGreaterThan(100 * 1024);
    expect(compressedBytes).toBeLessThan(200 * 1024);
    for (const index of revoked)
      if (decoded.get(index) !== STATUS.INVALID) throw new Error(`entry ${index} lost`);
    let count = 0;
    for (let i = 0; i < TEN_MILLION; i++) count += decoded.get(i);
    expect(count).toBe(revoked.size);
  });
});
