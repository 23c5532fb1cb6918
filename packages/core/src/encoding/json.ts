import { fail } from '../errors.js';
import { base64urlDecodeUtf8, base64urlEncodeUtf8 } from './base64url.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses untrusted JSON; a syntax error becomes MALFORMED without echoing the input. */
export function parseJson(text: string, what = 'value'): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw fail('MALFORMED', `${what} is not valid JSON`, cause);
  }
}

export function parseJsonObject(text: string, what = 'value'): JsonObject {
  const value = parseJson(text, what);
  if (!isJsonObject(value)) throw fail('MALFORMED', `${what} is not a JSON object`);
  return value;
}

/** Decodes a base64url-encoded JSON object (a JWS header or payload). */
export function decodeJsonObjectPart(part: string, what: string): JsonObject {
  return parseJsonObject(base64urlDecodeUtf8(part, what), what);
}

export function encodeJsonPart(value: unknown): string {
  return base64urlEncodeUtf8(JSON.stringify(value));
}
