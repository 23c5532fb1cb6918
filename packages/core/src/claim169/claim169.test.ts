import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base45Decode,
  type CborValue,
  type Claim169Identity,
  claim169ToJson,
  decodeCbor,
  decodeClaim169,
  decodeCoseSign1,
  decodeCwtClaims,
  encodeCbor,
  encodeClaim169,
  inflateZlib,
  TriesteError,
} from '../index.js';
import { CLAIM169_VECTORS } from '../qr/qr-vectors.test-util.js';

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
};

/** The claim 169 value inside a QR text, read step by step without verifying anything. */
function claim169Of(qr: string): CborValue {
  const cose = decodeCoseSign1(inflateZlib(base45Decode(qr)));
  return decodeCwtClaims(cose.payload).claims.get(169);
}

describe('decodeClaim169 on another implementation’s codes (jeremi/claim-169 test vectors)', () => {
  it('reads every demographic field 1–23 as that implementation meant them', () => {
    const identity = decodeClaim169(claim169Of(CLAIM169_VECTORS.demographicsFull.qr));
    expect(claim169ToJson(identity)).toEqual(CLAIM169_VECTORS.demographicsFull.expected);
  });

  it('reads a face biometric (key 62) as an array of samples', () => {
    const identity = decodeClaim169(claim169Of(CLAIM169_VECTORS.withFace.qr));
    expect(identity.fullName).toBe('Face Test Person');
    // The sample is a JPEG header (SOI + APP0): image (0), JPEG (1).
    expect(identity.biometrics?.face).toEqual([
      { data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), format: 0, subFormat: 1 },
    ]);
  });
});

describe('encodeClaim169 / decodeClaim169', () => {
  const full: Claim169Identity = {
    id: '4829175036',
    version: '1.0',
    language: 'eng',
    fullName: 'Amina Haddad',
    firstName: 'Amina',
    middleName: 'B.',
    lastName: 'Haddad',
    dateOfBirth: '19900301',
    gender: 2,
    address: 'Via Roma 1\n34100 Trieste',
    email: 'amina@example.org',
    phone: '+39 040 000000',
    nationality: 'XA',
    maritalStatus: 1,
    guardian: '1111111111',
    bestQualityFingers: [1, 6],
    secondaryFullName: 'أمينة حداد',
    secondaryLanguage: 'ara',
    locationCode: '849VCWC8+R9',
    legalStatus: 'refugee',
    countryOfIssuance: 'XA',
    biometrics: {
      face: [{ data: new Uint8Array([0xff, 0xd8, 0xff]), format: 0, subFormat: 1 }],
      rightThumb: [{ data: new Uint8Array([1]), format: 1, subFormat: 100, issuer: 'VendorA' }],
    },
    otherFields: new Map([[30, 'closed-ecosystem value']]),
  };

  it('round-trips every field through CBOR, with the specification’s keys', () => {
    const map = encodeClaim169(full);
    expect([...map.keys()]).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 23, 50, 62, 30,
    ]);
    expect(decodeClaim169(decodeCbor(encodeCbor(map)))).toEqual(full);
    expect(encodeClaim169({ dateOfBirth: '1990' }).get(8)).toBe('1990');
  });

  it('refuses a caller’s bad identity with TypeError (the registry validated it first)', () => {
    for (const bad of [
      { gender: 4 },
      { gender: '2' },
      { maritalStatus: 0 },
      { dateOfBirth: '1990-03-01' },
      { dateOfBirth: '199003011' },
      { fullName: '' },
      { fullName: 7 },
      { bestQualityFingers: [11] },
      { photo: new Uint8Array([1]) },
      { photoFormat: 1 },
      { biometrics: { face: [] } },
      { biometrics: { face: [{ data: 'x' }] } },
      { biometrics: { face: [{ data: new Uint8Array([1]), format: -1 }] } },
      { otherFields: new Map([[4, 'collides with full name']]) },
      { otherFields: new Map([[62, 'collides with face']]) },
    ]) {
      expect(() => encodeClaim169(bad as unknown as Claim169Identity), JSON.stringify(bad)).toThrow(
        TypeError,
      );
    }
  });

  it('refuses untrusted values of the wrong type with SCHEMA_INVALID, naming the field only', () => {
    const cases: Array<[string, CborValue]> = [
      ['not a map', ['x']],
      ['full name as bytes', new Map([[4, new Uint8Array([1])]])],
      ['gender as text (as the specification’s own CBOR example has it)', new Map([[9, '1']])],
      ['marital status as a float', new Map([[14, 1.5]])],
      ['photo as a number', new Map([[16, 5]])],
      ['fingers out of range', new Map([[18, [11]]])],
      ['fingers not an array', new Map([[18, 1]])],
      ['face as text', new Map([[62, 'x']])],
      ['face sample without data', new Map([[62, [new Map([[1, 0]])]]])],
      ['face sample with text data', new Map([[62, [new Map([[0, 'abc']])]]])],
      [
        'face sample format as text',
        new Map([
          [
            62,
            [
              new Map<number, CborValue>([
                [0, new Uint8Array()],
                [1, 'png'],
              ]),
            ],
          ],
        ]),
      ],
      [
        'face sample issuer as a number',
        new Map([
          [
            62,
            [
              new Map<number, CborValue>([
                [0, new Uint8Array()],
                [3, 5],
              ]),
            ],
          ],
        ]),
      ],
      [
        'face sample with an unknown key',
        new Map([
          [
            62,
            [
              new Map<number, CborValue>([
                [0, new Uint8Array()],
                [9, 5],
              ]),
            ],
          ],
        ]),
      ],
    ];
    for (const [why, value] of cases)
      expect(
        codeOf(() => decodeClaim169(value)),
        why,
      ).toBe('SCHEMA_INVALID');
    try {
      decodeClaim169(new Map([[4, 12345]]));
    } catch (error) {
      expect((error as Error).message).toBe('claim 169 fullName is not a text string');
    }
  });

  it('reads a single biometric map as an array of one, and a text photo as text', () => {
    const single = decodeClaim169(
      new Map([
        [
          62,
          new Map<number, CborValue>([
            [0, new Uint8Array([1])],
            [1, 0],
          ]),
        ],
      ]),
    );
    expect(single.biometrics?.face).toEqual([{ data: new Uint8Array([1]), format: 0 }]);
    expect(decodeClaim169(new Map([[16, '03CBAB']])).photo).toBe('03CBAB');
  });

  it('turns any hostile map into an identity or SCHEMA_INVALID', () => {
    const leaf = fc.oneof(
      fc.integer({ min: -5, max: 300 }),
      fc.string({ maxLength: 6 }),
      fc.uint8Array({ maxLength: 4 }),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
    );
    const sample = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 4 }), leaf), { selector: ([k]) => k, maxLength: 4 })
      .map((entries) => new Map<number, CborValue>(entries));
    const value = fc.oneof(
      leaf,
      fc.array(leaf, { maxLength: 3 }),
      sample,
      fc.array(sample, { maxLength: 2 }),
    );
    const identity = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 100 }), value), { selector: ([k]) => k, maxLength: 8 })
      .map((entries) => new Map<number, CborValue>(entries));
    fc.assert(
      fc.property(fc.oneof(identity, leaf), (map) => {
        try {
          const decoded = decodeClaim169(map);
          expect(() => JSON.stringify(claim169ToJson(decoded))).not.toThrow();
        } catch (error) {
          expect(error).toBeInstanceOf(TriesteError);
          expect((error as TriesteError).code).toBe('SCHEMA_INVALID');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
