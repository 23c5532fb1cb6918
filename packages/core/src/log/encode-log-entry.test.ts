import { describe, expect, it } from 'vitest';
import { encodeLogEntry } from './encode-log-entry.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('encodeLogEntry', () => {
  it('refuses an entry too large for a tlog-tiles entry bundle with LOG_ENTRY_INVALID', () => {
    expect(() => encodeLogEntry('operator/note', { note: 'x'.repeat(65536) })).toThrow(
      expect.objectContaining({ code: 'LOG_ENTRY_INVALID' }),
    );
  });

  it('refuses a second type and numbers JSON cannot carry, as caller bugs', () => {
    expect(() => encodeLogEntry('operator/note', { type: 'x' })).toThrow(TypeError);
    expect(() => encodeLogEntry('operator/note', { n: Number.NaN })).toThrow(TypeError);
  });

  it('is canonical: sorted keys at every depth, no whitespace, the same bytes for the same event', () => {
    const a = encodeLogEntry('status-list/version', {
      version: 3,
      list: 'L',
      nested: { z: 1, a: [true, null] },
    });
    const b = encodeLogEntry('status-list/version', {
      nested: { a: [true, null], z: 1 },
      list: 'L',
      version: 3,
    });
    expect(text(a)).toBe(
      '{"list":"L","nested":{"a":[true,null],"z":1},"type":"status-list/version","version":3}',
    );
    expect(text(b)).toBe(text(a));
    expect(text(encodeLogEntry('operator/note', { note: 'é\n"' }))).toBe(
      '{"note":"é\\n\\"","type":"operator/note"}',
    );
  });
});
