import { describe, expect, it } from 'vitest';
import { type CborValue, checkDccStructure, dccKid, decodeCbor, encodeCbor, TriesteError } from '../index.js';
import { VACCINATION } from '../qr/qr-fixtures.test-util.js';

const cbor = (value: unknown): CborValue => decodeCbor(encodeCbor(toCbor(value)));
function toCbor(value: unknown): CborValue {
  if (Array.isArray(value)) return value.map(toCbor);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCbor(v)]));
  }
  return value as CborValue;
}
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
};
const vaccination = VACCINATION as Record<string, unknown> & { v: Array<Record<string, unknown>> };
const withEntry = (group: 'v' | 't' | 'r', entry: Record<string, unknown>) => {
  const { v: _v, ...rest } = vaccination;
  return { ...rest, [group]: [entry] };
};
const TEST = {
  tg: '840539006',
  tt: 'LP6464-4',
  sc: '2025-06-01T10:00:00Z',
  tr: '260415000',
  co: 'XA',
  is: 'MoH',
  ci: 'URN:UVCI:01:XA:T1',
};
const RECOVERY = {
  tg: '840539006',
  fr: '2025-01-01',
  co: 'XA',
  is: 'MoH',
  df: '2025-01-12',
  du: '2025-06-30',
  ci: 'URN:UVCI:01:XA:R1',
};

describe('checkDccStructure (EU DCC schema 1.3.0, required structure)', () => {
  it('accepts a vaccination, a test and a recovery certificate, and partial dates of birth', () => {
    expect(codeOf(() => checkDccStructure(cbor(vaccination)))).toBe('NO_ERROR');
    expect(codeOf(() => checkDccStructure(cbor(withEntry('t', TEST))))).toBe('NO_ERROR');
    expect(codeOf(() => checkDccStructure(cbor(withEntry('r', RECOVERY))))).toBe('NO_ERROR');
    for (const dob of ['1990', '1990-03', '']) {
      expect(
        codeOf(() => checkDccStructure(cbor({ ...vaccination, dob }))),
        dob,
      ).toBe('NO_ERROR');
    }
  });

  it('refuses each structural violation with SCHEMA_INVALID', () => {
    const entry = vaccination.v[0]!;
    const cases: Array<[string, unknown]> = [
      ['not a map', [vaccination]],
      ['no ver', { ...vaccination, ver: undefined }],
      ['ver not semver', { ...vaccination, ver: '1.3' }],
      ['no nam', { ...vaccination, nam: undefined }],
      ['no fnt', { ...vaccination, nam: { fn: 'Rossi' } }],
      ['fnt lower case', { ...vaccination, nam: { fnt: 'rossi' } }],
      ['gnt not standardised', { ...vaccination, nam: { fnt: 'ROSSI', gnt: 'Lea' } }],
      ['no dob', { ...vaccination, dob: undefined }],
      ['dob as a number', { ...vaccination, dob: 19900301 }],
      ['dob in another format', { ...vaccination, dob: '01.03.1990' }],
      ['no v, t or r', { ...vaccination, v: undefined }],
      ['both v and t', { ...vaccination, t: [TEST] }],
      ['empty v', { ...vaccination, v: [] }],
      ['two v entries', { ...vaccination, v: [entry, entry] }],
      ['v entry not a map', { ...vaccination, v: ['x'] }],
      ['v without mp', { ...vaccination, v: [{ ...entry, mp: undefined }] }],
      ['v dn as text', { ...vaccination, v: [{ ...entry, dn: '2' }] }],
      ['v dn zero', { ...vaccination, v: [{ ...entry, dn: 0 }] }],
      ['v dt not a date', { ...vaccination, v: [{ ...entry, dt: '2025-03-01T00:00:00Z' }] }],
      ['t without tr', withEntry('t', { ...TEST, tr: undefined })],
      ['t sc a date only', withEntry('t', { ...TEST, sc: '2025-06-01' })],
      ['t tc a number', withEntry('t', { ...TEST, tc: 7 })],
      ['r without du', withEntry('r', { ...RECOVERY, du: undefined })],
      ['r ci too long', withEntry('r', { ...RECOVERY, ci: 'X'.repeat(81) })],
    ];
    for (const [why, value] of cases) {
      const clean = JSON.parse(JSON.stringify(value));
      expect(
        codeOf(() => checkDccStructure(cbor(clean))),
        why,
      ).toBe('SCHEMA_INVALID');
    }
  });

  it('names the member, never its value', () => {
    try {
      checkDccStructure(cbor({ ...vaccination, nam: { fnt: 'secret-lowercase' } }));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('nam.fnt');
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

describe('dccKid', () => {
  it('is the first 8 bytes of SHA-256 over the certificate DER', async () => {
    const { DGC_AT_1 } = await import('../qr/qr-vectors.test-util.js');
    const der = new Uint8Array(Buffer.from(DGC_AT_1.certificate, 'base64'));
    expect(Buffer.from(dccKid(der)).toString('hex')).toBe('d919375fc1e7b6b2');
    expect(Buffer.from(dccKid(der)).toString('base64')).toBe(DGC_AT_1.kidBase64);
  });
});
