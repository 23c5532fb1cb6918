import { generatePrivateJwk, nodeSigner } from '@trieste/adapters';
import { changeCredentialStatus, issueCredential, presentSdJwtVc, toPublicJwk } from '@trieste/core';
import type { Output } from '../io.js';
import type { Runtime } from '../runtime.js';
import { verifyCommand } from './credentials.js';
import { initCommand } from './init.js';

/** The demo jurisdiction uses an ISO 3166-1 user-assigned code, so it is no real country. */
export const DEMO_VCT = 'urn:trieste:xa:national-identity:1';

const DEMO_PERSON = {
  given_name: 'Amina',
  family_name: 'Haddad',
  birthdate: '1990-04-12',
  age_equal_or_over: { '13': true, '16': true, '18': true, '21': true },
  nationality: 'XA',
  place_of_birth: { locality: 'Port Azure', country: 'XA' },
  address: { street_address: '12 Harbour Road', locality: 'Port Azure', postal_code: '10101', country: 'XA' },
  personal_identifier: '4829175036',
};

/**
 * `npm start` until the server lands: issue, present, verify, suspend, reinstate and revoke one
 * credential against the embedded database, printing each step as a person would read it.
 */
export async function demoCommand(runtime: Runtime, out: Output): Promise<void> {
  const say = (text: string) => out.stdout(text);
  await initCommand(runtime, { ...out, json: false }, undefined);
  say('');
  const holderJwk = generatePrivateJwk('ES256');
  const holder = nodeSigner(holderJwk);
  say(`1. The holder's wallet makes a key pair (thumbprint ${holder.kid}).`);

  const issued = await issueCredential(
    {
      vct: DEMO_VCT,
      claims: DEMO_PERSON,
      disclosable: 'all',
      holderKey: toPublicJwk(holderJwk),
      expiresInSeconds: 365 * 86400,
    },
    runtime.issuance,
  );
  const { record } = issued;
  // Issued with a status entry (the default): the demo suspends, reinstates and revokes it.
  const statusListId = record.statusListId!;
  const statusIndex = record.statusIndex!;
  say(`2. The registry issues a national identity SD-JWT VC (${issued.credential.length} characters),`);
  say(`   every claim selectively disclosable, bound to the holder key,`);
  say(`   status list ${record.statusListId} index ${record.statusIndex} (drawn at random).`);

  const nonce = `demo-${Date.now().toString(36)}`;
  const aud = 'https://shop.example';
  const presentation = await presentSdJwtVc(
    issued.credential,
    { disclose: ['/age_equal_or_over/18'], nonce, aud },
    { holder, crypto: runtime.crypto, clock: runtime.clock },
  );
  say(`3. A shop (${aud}) asks "over 18?"; the holder discloses only that, with a key-binding JWT.`);

  const check = async (label: string) => {
    const report = await verifyCommand(runtime, presentation, { nonce, aud });
    const result = report.valid
      ? `valid — claims ${JSON.stringify(report.claims)}, status ${report.status}`
      : `refused — ${report.code}: ${report.message}`;
    say(`${label} ${result}`);
  };
  await check('4. The shop verifies:');
  await changeCredentialStatus(statusListId, statusIndex, 'suspended', runtime.issuance);
  await check('5. The registrar suspends the credential; the shop verifies again:');
  await changeCredentialStatus(statusListId, statusIndex, 'valid', runtime.issuance);
  await check('6. The registrar reinstates it:');
  await changeCredentialStatus(statusListId, statusIndex, 'invalid', runtime.issuance);
  await check('7. The registrar revokes it for good:');
  say('');
  say(
    'The data stays in the data directory. Next: the CLI walkthrough in README.md (npm run trieste -- --help).',
  );
}
