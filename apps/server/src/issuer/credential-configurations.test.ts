import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../config.js';
import { isServerError } from '../http/errors.js';
import {
  checkOfferClaims,
  DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH,
  loadCredentialConfigurations,
  parseCredentialConfigurations,
} from './credential-configurations.js';

const builtIn = readFileSync(DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH, 'utf8');

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isServerError(error) ? error.code : 'not a ServerError';
  }
  return undefined;
}

describe('credential configurations', () => {
  it('the built-in file holds the XA national identity, every claim with display names', () => {
    const { credential_configurations } = loadCredentialConfigurations(
      DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH,
    );
    const national = credential_configurations['national_identity_xa']!;
    expect(national.format).toBe('dc+sd-jwt');
    for (const claim of national.credential_metadata.claims) expect(claim.display?.length).toBeGreaterThan(0);
  });

  it('refuses a file that is missing, not JSON, empty or carries unknown settings, with CONFIG_INVALID', () => {
    expect(codeOf(() => loadCredentialConfigurations('/nonexistent/configurations.json'))).toBe(
      'CONFIG_INVALID',
    );
    expect(codeOf(() => parseCredentialConfigurations('{'))).toBe('CONFIG_INVALID');
    expect(codeOf(() => parseCredentialConfigurations('{"credential_configurations":{}}'))).toBe(
      'CONFIG_INVALID',
    );
    const doc = JSON.parse(builtIn);
    doc.credential_configurations.national_identity_xa.format = 'jwt_vc_json';
    expect(codeOf(() => parseCredentialConfigurations(JSON.stringify(doc)))).toBe('CONFIG_INVALID');
    const extra = JSON.parse(builtIn);
    extra.credential_configurations.national_identity_xa.signing_key = 'x';
    expect(codeOf(() => parseCredentialConfigurations(JSON.stringify(extra)))).toBe('CONFIG_INVALID');
    const offeredBy = JSON.parse(builtIn);
    offeredBy.credential_configurations.age_xa.offered_by = 'anyone';
    expect(codeOf(() => parseCredentialConfigurations(JSON.stringify(offeredBy)))).toBe('CONFIG_INVALID');
  });

  it('marks the registry-derived credentials (age, guardian) offered_by registry, and only those', () => {
    const { credential_configurations } = parseCredentialConfigurations(builtIn);
    expect(credential_configurations['age_xa']!.offered_by).toBe('registry');
    expect(credential_configurations['guardian_xa']!.offered_by).toBe('registry');
    expect(credential_configurations['national_identity_xa']!.offered_by).toBeUndefined();
  });

  it('checks offer claims by name only: declared, mandatory, no SD-JWT structure', () => {
    const national =
      parseCredentialConfigurations(builtIn).credential_configurations['national_identity_xa']!;
    const ok = { given_name: 'a', family_name: 'b', birthdate: 'c', personal_identifier: 'd' };
    expect(checkOfferClaims(national, ok)).toBeUndefined();
    expect(checkOfferClaims(national, { ...ok, iss: 'x' })).toContain('iss');
    expect(checkOfferClaims(national, { ...ok, secret_value: 'x' })).not.toContain('x"');
    expect(
      checkOfferClaims(national, { family_name: 'b', birthdate: 'c', personal_identifier: 'd' }),
    ).toContain('given_name');
    expect(checkOfferClaims(national, { ...ok, address: { '...': 'x' } })).toBeDefined();
  });

  it('TRIESTE_CREDENTIAL_CONFIGURATIONS names another file; unset means the built-in one', () => {
    expect(readConfig({}).credentialConfigurationsPath).toBeUndefined();
    expect(
      readConfig({ TRIESTE_CREDENTIAL_CONFIGURATIONS: '/etc/trieste/vc.json' }).credentialConfigurationsPath,
    ).toBe('/etc/trieste/vc.json');
  });
});
