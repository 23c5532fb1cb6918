import type { PersonData } from '@trieste/core';
import { CliError } from '../../errors.js';
import { parseJsonInput } from '../../io.js';

// The members each object of a person record may have (core PersonData, docs/registry-cli.md).
// The core checks values against the jurisdiction's rules and refuses unknown top-level fields; an
// unknown member deeper down would be stored silently, so the edge refuses it here, as the HTTP
// API's strict schema does.
const SHAPE = {
  name: ['script', 'given', 'middle', 'family'],
  dateOfBirth: ['value', 'estimated'],
  placeOfBirth: ['locality', 'region', 'country'],
  address: ['locality', 'region', 'country', 'lines', 'postalCode'],
  photo: ['ref', 'sha256'],
  guardian: ['personId', 'relationship'],
} as const;

/**
 * A person record file (`trieste registry enrol|update <person.json>`): the core's PersonData as
 * JSON. Checks the JSON and its shape only; the jurisdiction's rules are the core's to apply.
 * Errors name the member, never its value.
 */
export function parsePersonJson(text: string): PersonData {
  const value = parseJsonInput(text, 'person file');
  if (!isObject(value)) throw new CliError('INPUT_INVALID', 'the person file must hold a JSON object');
  const only = (object: unknown, allowed: readonly string[], where: string) => {
    if (!isObject(object)) return;
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) {
        throw new CliError('INPUT_INVALID', `the person file has an unknown member in ${where}`);
      }
    }
  };
  if (Array.isArray(value['names'])) {
    for (const [i, name] of value['names'].entries()) only(name, SHAPE.name, `names[${i}]`);
  }
  only(value['dateOfBirth'], SHAPE.dateOfBirth, 'dateOfBirth');
  only(value['placeOfBirth'], SHAPE.placeOfBirth, 'placeOfBirth');
  only(value['address'], SHAPE.address, 'address');
  only(value['photo'], SHAPE.photo, 'photo');
  if (Array.isArray(value['guardians'])) {
    for (const [i, guardian] of value['guardians'].entries()) {
      only(guardian, SHAPE.guardian, `guardians[${i}]`);
    }
  }
  return value as unknown as PersonData;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
