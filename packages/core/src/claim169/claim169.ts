import { cborToJson, defineMember } from '../cose/cbor-to-json.js';
import type { CborKey, CborMap, CborValue } from '../cose/decode-cbor.js';
import { base64urlEncode } from '../encoding/base64url.js';
import type { JsonObject, JsonValue } from '../encoding/json.js';
import { fail } from '../errors.js';

/** The CWT claim key of MOSIP's identity data (IANA CWT Claims registry: 169, "identity-data"). */
export const CLAIM_169 = 169;

/** One biometric sample (Claim 169 §3.1 "Biometrics"): data with an optional format, sub-format and issuer. */
export interface Claim169Biometric {
  data: Uint8Array;
  /** 0 image, 1 template, 2 sound, 3 bio hash. */
  format?: number;
  /** Per format, e.g. for images 0 PNG, 1 JPEG, 2 JPEG2000, 3 AVIF, 4 WEBP, 5 TIFF, 6 WSQ. */
  subFormat?: number;
  issuer?: string;
}

/** Keys 50–65, in the specification's order. */
export const CLAIM169_BIOMETRICS = [
  'rightThumb',
  'rightPointerFinger',
  'rightMiddleFinger',
  'rightRingFinger',
  'rightLittleFinger',
  'leftThumb',
  'leftPointerFinger',
  'leftMiddleFinger',
  'leftRingFinger',
  'leftLittleFinger',
  'rightIris',
  'leftIris',
  'face',
  'rightPalm',
  'leftPalm',
  'voice',
] as const;
export type Claim169BiometricName = (typeof CLAIM169_BIOMETRICS)[number];
const FIRST_BIOMETRIC_KEY = 50;

/**
 * The identity map of claim 169 (mosip/id-claim-169, "169 - QR Code Specifications" v1.2.2 §3.1),
 * every field optional as the specification has it. Names follow MOSIP's own JSON rendering.
 */
export interface Claim169Identity {
  id?: string;
  version?: string;
  /** ISO 639-3 language of the other fields. */
  language?: string;
  fullName?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  /** YYYYMMDD (we also write YYYY and YYYYMM for partial dates; see encodeClaim169). */
  dateOfBirth?: string;
  /** 1 male, 2 female, 3 others. */
  gender?: number;
  /** Lines separated by "\n". */
  address?: string;
  email?: string;
  /** E.123 international notation. */
  phone?: string;
  /** ISO 3166 alpha-2 or alpha-3. */
  nationality?: string;
  /** 1 unmarried, 2 married, 3 divorced. */
  maritalStatus?: number;
  guardian?: string;
  /** Deprecated by v1.2.2 in favour of `biometrics.face`; read for older codes. A text photo is kept as text. */
  photo?: Uint8Array | string;
  /** Deprecated with `photo`: 1 JPEG, 2 JPEG2, 3 AVIF, 4 WEBP. */
  photoFormat?: number;
  /** Finger positions 0–10. */
  bestQualityFingers?: number[];
  secondaryFullName?: string;
  /** ISO 639-3 language of `secondaryFullName`. */
  secondaryLanguage?: string;
  locationCode?: string;
  legalStatus?: string;
  countryOfIssuance?: string;
  biometrics?: Partial<Record<Claim169BiometricName, Claim169Biometric[]>>;
  /** Keys the specification leaves unassigned (24–49, 66–99…), for closed ecosystems: kept as decoded. */
  otherFields?: Map<CborKey, CborValue>;
}

type FieldKind = 'text' | 'int' | 'photo' | 'fingers';
type SimpleField = Exclude<keyof Claim169Identity, 'biometrics' | 'otherFields'>;

const FIELDS: ReadonlyArray<readonly [number, SimpleField, FieldKind]> = [
  [1, 'id', 'text'],
  [2, 'version', 'text'],
  [3, 'language', 'text'],
  [4, 'fullName', 'text'],
  [5, 'firstName', 'text'],
  [6, 'middleName', 'text'],
  [7, 'lastName', 'text'],
  [8, 'dateOfBirth', 'text'],
  [9, 'gender', 'int'],
  [10, 'address', 'text'],
  [11, 'email', 'text'],
  [12, 'phone', 'text'],
  [13, 'nationality', 'text'],
  [14, 'maritalStatus', 'int'],
  [15, 'guardian', 'text'],
  [16, 'photo', 'photo'],
  [17, 'photoFormat', 'int'],
  [18, 'bestQualityFingers', 'fingers'],
  [19, 'secondaryFullName', 'text'],
  [20, 'secondaryLanguage', 'text'],
  [21, 'locationCode', 'text'],
  [22, 'legalStatus', 'text'],
  [23, 'countryOfIssuance', 'text'],
];
const FIELD_BY_KEY = new Map(FIELDS.map(([key, name, kind]) => [key, { name, kind }]));

/**
 * Reads an untrusted claim 169 value. Types are checked strictly against the specification's
 * table (text, integer, byte string, the biometric map) and a violation is SCHEMA_INVALID naming
 * the field, never its value. Code values are not restricted to the ones listed today (an issuer
 * on a newer version may use more), except finger positions, which the specification bounds to
 * 0–10. A biometric given as one map instead of an array of maps (as the specification's own
 * example does) is read as an array of one.
 */
export function decodeClaim169(value: CborValue): Claim169Identity {
  if (!(value instanceof Map)) throw schema('claim 169 is not a map');
  const identity: Claim169Identity = {};
  const record = identity as Record<string, unknown>;
  for (const [key, item] of value) {
    const field = typeof key === 'number' ? FIELD_BY_KEY.get(key) : undefined;
    if (field) {
      record[field.name] = readField(item, field.kind, field.name);
      continue;
    }
    const biometric = typeof key === 'number' ? biometricName(key) : undefined;
    if (biometric) {
      identity.biometrics ??= {};
      identity.biometrics[biometric] = readBiometrics(item, biometric);
      continue;
    }
    identity.otherFields ??= new Map();
    identity.otherFields.set(key, item);
  }
  return identity;
}

function readField(item: CborValue, kind: FieldKind, name: string): unknown {
  switch (kind) {
    case 'text':
      if (typeof item !== 'string') throw schema(`claim 169 ${name} is not a text string`);
      return item;
    case 'int':
      if (typeof item !== 'number' || !Number.isSafeInteger(item))
        throw schema(`claim 169 ${name} is not an integer`);
      return item;
    case 'photo':
      if (!(item instanceof Uint8Array) && typeof item !== 'string')
        throw schema(`claim 169 ${name} is not a byte or text string`);
      return item;
    case 'fingers':
      if (
        !Array.isArray(item) ||
        !item.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 10)
      ) {
        throw schema(`claim 169 ${name} is not an array of finger positions 0-10`);
      }
      return [...(item as number[])];
  }
}

function readBiometrics(item: CborValue, name: string): Claim169Biometric[] {
  const samples = item instanceof Map ? [item] : item;
  if (!Array.isArray(samples)) throw schema(`claim 169 ${name} is not an array of biometrics`);
  return samples.map((sample) => {
    if (!(sample instanceof Map)) throw schema(`claim 169 ${name} holds a biometric that is not a map`);
    const data = sample.get(0);
    if (!(data instanceof Uint8Array)) throw schema(`claim 169 ${name} biometric has no byte-string data`);
    const out: Claim169Biometric = { data };
    for (const [key, value] of sample) {
      if (key === 1 || key === 2) {
        if (typeof value !== 'number' || !Number.isSafeInteger(value))
          throw schema(`claim 169 ${name} biometric format is not an integer`);
        if (key === 1) out.format = value;
        else out.subFormat = value;
      } else if (key === 3) {
        if (typeof value !== 'string')
          throw schema(`claim 169 ${name} biometric issuer is not a text string`);
        out.issuer = value;
      } else if (key !== 0) {
        throw schema(`claim 169 ${name} biometric has a key the specification does not define`);
      }
    }
    return out;
  });
}

function biometricName(key: number): Claim169BiometricName | undefined {
  return CLAIM169_BIOMETRICS[key - FIRST_BIOMETRIC_KEY];
}

const DATE_OF_BIRTH = /^\d{4}(\d{2}(\d{2})?)?$/;

/**
 * Builds the claim 169 map for issuance. A value of the wrong type or outside the specification's
 * codes is a caller's bug (TypeError): the registry validated the person before asking for a QR.
 * Dates of birth are YYYYMMDD as the specification asks; a partial date (year, or year and month)
 * is written as YYYY or YYYYMM, an extension a reader expecting eight digits may refuse (we say so
 * in docs/offline-qr.md). `photo`/`photoFormat` (deprecated) are not written: use `biometrics.face`.
 */
export function encodeClaim169(identity: Claim169Identity): CborMap {
  if (typeof identity !== 'object' || identity === null) throw new TypeError('identity must be an object');
  const out: CborMap = new Map();
  for (const [key, name, kind] of FIELDS) {
    const value = identity[name];
    if (value === undefined) continue;
    if (name === 'photo' || name === 'photoFormat') {
      throw new TypeError(`${name} is deprecated by Claim 169 v1.2.2: give biometrics.face instead`);
    }
    if (kind === 'text') {
      if (typeof value !== 'string' || value === '')
        throw new TypeError(`${name} must be a non-empty string`);
      if (name === 'dateOfBirth' && !DATE_OF_BIRTH.test(value))
        throw new TypeError('dateOfBirth must be YYYYMMDD, YYYYMM or YYYY');
      out.set(key, value);
    } else if (kind === 'int') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 3)
        throw new TypeError(`${name} must be 1, 2 or 3`);
      out.set(key, value);
    } else if (kind === 'fingers') {
      if (!Array.isArray(value) || !value.every((n) => Number.isInteger(n) && n >= 0 && n <= 10))
        throw new TypeError(`${name} must be finger positions 0-10`);
      out.set(key, [...value]);
    }
  }
  for (const [index, name] of CLAIM169_BIOMETRICS.entries()) {
    const samples = identity.biometrics?.[name];
    if (samples === undefined) continue;
    if (!Array.isArray(samples) || samples.length === 0)
      throw new TypeError(`biometrics.${name} must be a non-empty array`);
    out.set(
      FIRST_BIOMETRIC_KEY + index,
      samples.map((sample) => {
        if (!(sample.data instanceof Uint8Array))
          throw new TypeError(`biometrics.${name} data must be bytes`);
        const map: CborMap = new Map([[0, sample.data]]);
        if (sample.format !== undefined) map.set(1, integer(sample.format, `biometrics.${name} format`));
        if (sample.subFormat !== undefined)
          map.set(2, integer(sample.subFormat, `biometrics.${name} subFormat`));
        if (sample.issuer !== undefined) map.set(3, sample.issuer);
        return map;
      }),
    );
  }
  if (identity.otherFields !== undefined) {
    for (const [key, value] of identity.otherFields) {
      if (out.has(key) || FIELD_BY_KEY.has(key as number) || (typeof key === 'number' && biometricName(key)))
        throw new TypeError('otherFields may only use keys the specification leaves unassigned');
      out.set(key, value);
    }
  }
  return out;
}

function integer(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer`);
  }
  return value;
}

/** A JSON view of a decoded identity for reports: bytes as base64url, unassigned keys under `otherFields`. */
export function claim169ToJson(identity: Claim169Identity): JsonObject {
  const out: JsonObject = {};
  for (const [, name] of FIELDS) {
    const value = identity[name];
    if (value === undefined) continue;
    out[name] = value instanceof Uint8Array ? base64urlEncode(value) : (value as JsonValue);
  }
  if (identity.biometrics) {
    const biometrics: JsonObject = {};
    for (const name of CLAIM169_BIOMETRICS) {
      const samples = identity.biometrics[name];
      if (!samples) continue;
      biometrics[name] = samples.map((sample) => {
        const json: JsonObject = { data: base64urlEncode(sample.data) };
        if (sample.format !== undefined) json['format'] = sample.format;
        if (sample.subFormat !== undefined) json['subFormat'] = sample.subFormat;
        if (sample.issuer !== undefined) json['issuer'] = sample.issuer;
        return json;
      });
    }
    out['biometrics'] = biometrics;
  }
  if (identity.otherFields) {
    const other: JsonObject = {};
    for (const [key, value] of identity.otherFields) defineMember(other, String(key), cborToJson(value));
    out['otherFields'] = other;
  }
  return out;
}

function schema(message: string) {
  return fail('SCHEMA_INVALID', message);
}
