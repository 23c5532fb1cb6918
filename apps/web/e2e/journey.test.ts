// The one end-to-end journey, in real Chromium against the real server, three people on
// three devices (browser contexts): a registrar enrols a person → issues the national identity
// credential → the wallet accepts it with the transaction code → a verifier asks for "over 18
// only" → the wallet's consent screen lists only that claim → the verifier shows "over 18: yes"
// and received no other claim → the registrar records the person's death (revoking the
// credential) → a new verification is refused as revoked. A screenshot of every step is kept in
// apps/web/e2e/artifacts/journey/, and axe-core audits each of them (WCAG 2.2 A/AA).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkedSteps,
  ensureWebBuilt,
  launchChromium,
  newPage,
  offlineVerdict,
  signIn,
  startServer,
  type TestServer,
  VERIFIER_NAME,
} from './harness';

let server: TestServer;
let browser: Browser;
let registrar: Page;
let wallet: Page;
let verifier: Page;
const step = checkedSteps('journey');

beforeAll(async () => {
  await ensureWebBuilt();
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  registrar = (await newPage(browser, server.url)).page;
  wallet = (await newPage(browser, server.url)).page;
  verifier = (await newPage(browser, server.url)).page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The verifier asks for "over 18 only"; returns the request link the wallet scans. */
async function askOver18(): Promise<string> {
  await verifier.getByRole('heading', { name: 'Ask a wallet for information' }).waitFor();
  await verifier.getByLabel('Over 18 only').check();
  await expect.poll(() => verifier.getByLabel('Trusted issuers').inputValue()).toBe(server.url);
  await verifier.getByRole('button', { name: 'Create the request' }).click();
  await verifier.getByRole('heading', { name: 'Waiting for the wallet' }).waitFor();
  return verifier.getByLabel('Request link').inputValue();
}

/** The holder opens the request in the wallet (as if scanned: the link is pasted). */
async function openRequest(link: string): Promise<void> {
  await wallet.goto('/wallet');
  await wallet.getByRole('navigation', { name: 'Wallet' }).getByRole('link', { name: 'Share' }).click();
  await wallet.getByLabel('Link', { exact: true }).fill(link);
  await wallet.getByRole('button', { name: 'Continue' }).click();
  await wallet.getByRole('heading', { name: `${VERIFIER_NAME} asks for your information` }).waitFor();
}

let personName = '';
/** The wallet's offline QR code, photographed in step 4b and shown again after the revocation. */
let offlinePicture: Buffer | undefined;

describe('the journey', { timeout: 60_000 }, () => {
  it('1. the registrar enrols a person and issues the national identity credential', async () => {
    await signIn(registrar, '/registrar', server.keys.registrar);
    await registrar.getByRole('heading', { name: 'Enrol a person', level: 2 }).waitFor();
    const latin = registrar.getByRole('group', { name: 'Name in Latin script' });
    await latin.getByLabel('Given name').fill('Amina');
    await latin.getByLabel('Family name').fill('Haddad');
    const arabic = registrar.getByRole('group', { name: 'Name in Arabic script (optional)' });
    await arabic.getByLabel('Given name').fill('أمينة');
    await arabic.getByLabel('Family name').fill('حداد');
    const dob = registrar.getByRole('group', { name: 'Date of birth' });
    await dob.getByLabel('Year').fill('1990');
    await dob.getByLabel('Month').selectOption('04');
    await dob.getByLabel('Day').fill('1');
    await registrar.getByRole('group', { name: 'Sex' }).getByLabel('Female').check();
    const birth = registrar.getByRole('group', { name: 'Place of birth' });
    await birth.getByLabel('Town or city').fill('Port Demo');
    await birth.getByLabel('Country').selectOption('XA');
    await registrar.getByLabel('Nationality').selectOption('XA');
    await registrar.getByLabel('Legal status').selectOption('citizen');
    const address = registrar.getByRole('group', { name: 'Address' });
    await address.getByLabel('Street address').fill('1 Harbour Road');
    await address.getByLabel('Town or city').fill('Port Demo');
    await address.getByLabel('Country').selectOption('XA');
    await registrar.getByLabel('Registration office').fill('Port Demo civil registry, desk 2');
    await step(registrar, 'registrar-enrolment-form');
    await registrar.getByRole('button', { name: 'Enrol' }).click();

    await registrar.getByRole('heading', { name: 'Enrolled', level: 2 }).waitFor();
    expect(await registrar.getByText(/^Enrolled with UIN \d{10}$/).isVisible()).toBe(true);
    personName = 'Amina Haddad';
    await step(registrar, 'registrar-enrolled');

    await registrar.getByRole('button', { name: 'Issue the national identity credential' }).click();
    const receipt = registrar.getByRole('region', { name: 'Credential offer receipt' });
    await receipt.waitFor();
    expect(await receipt.getByRole('img', { name: /QR code to receive/ }).isVisible()).toBe(true);
    await step(registrar, 'registrar-offer-receipt');
  });

  it('2. the wallet accepts the credential with the transaction code', async () => {
    const receipt = registrar.getByRole('region', { name: 'Credential offer receipt' });
    const txCode = ((await receipt.getByText(/^\d{6}$/).textContent()) ?? '').trim();
    const offerLink = await receipt.getByLabel('Credential offer link').inputValue();
    expect(offerLink).toMatch(/^openid-credential-offer:\/\//);

    await wallet.goto('/wallet');
    await wallet.getByRole('heading', { level: 1, name: 'Your wallet' }).waitFor();
    await wallet.getByRole('navigation', { name: 'Wallet' }).getByRole('link', { name: 'Receive' }).click();
    await wallet.getByLabel('Link', { exact: true }).fill(offerLink);
    await wallet.getByRole('button', { name: 'Continue' }).click();
    await wallet.getByRole('heading', { name: /^Offer from / }).waitFor();
    await step(wallet, 'wallet-offer');
    await wallet.getByLabel('Transaction code').fill(txCode);
    await wallet.getByRole('button', { name: 'Get the credential' }).click();
    await wallet.getByRole('heading', { name: 'Check your new credential' }).waitFor();
    expect(await wallet.getByText('Amina').first().isVisible()).toBe(true);
    await step(wallet, 'wallet-review');
    await wallet.getByRole('button', { name: 'Keep in my wallet' }).click();
    await wallet.getByText('The credential is in your wallet.').waitFor();
    await step(wallet, 'wallet-kept');
  });

  it('3. the verifier asks "over 18 only" and the consent screen lists only that claim', async () => {
    await signIn(verifier, '/verifier', server.keys.verifier);
    const link = await askOver18();
    expect(link).toMatch(/^openid4vp:\/\/\?client_id=/);
    await step(verifier, 'verifier-request');

    await openRequest(link);
    expect(await wallet.getByText('To check that you are over 18').isVisible()).toBe(true);
    const claims = wallet.getByRole('group', { name: /^From your/ }).getByRole('listitem');
    expect(await claims.count()).toBe(1);
    expect(await claims.first().textContent()).toMatch(/18/);
    for (const other of ['Amina', 'Haddad', '1990', 'Port Demo']) {
      expect(await wallet.getByRole('main').getByText(other).count(), other).toBe(0);
    }
    await step(wallet, 'wallet-consent');
  });

  it('4. the holder shares; the verifier shows "over 18: yes" and received no other claim', async () => {
    await wallet.getByRole('button', { name: 'Share', exact: true }).click();
    await wallet.getByRole('heading', { name: `Shared with ${VERIFIER_NAME}.` }).waitFor();
    await step(wallet, 'wallet-shared');

    await verifier.getByRole('heading', { name: 'Verified' }).waitFor({ timeout: 20_000 });
    const received = verifier.getByRole('region', { name: 'Received information' });
    const terms = received.getByRole('term');
    expect(await terms.count()).toBe(1);
    expect(await terms.first().textContent()).toBe('Over 18');
    expect(await received.getByRole('definition').first().textContent()).toBe('yes');
    expect(await received.getByText('Nothing else was received.').isVisible()).toBe(true);
    expect(
      await verifier.getByRole('region', { name: 'About the credential' }).getByText(server.url).isVisible(),
    ).toBe(true);
    await step(verifier, 'verifier-verified');
  });

  it('4b. an offline QR code from the wallet verifies in the verifier console against the trust list', async () => {
    await wallet
      .getByRole('navigation', { name: 'Wallet' })
      .getByRole('link', { name: 'Offline QR code' })
      .click();
    await wallet.getByRole('checkbox', { name: /^Aged 18 or over/ }).check();
    await wallet.getByRole('button', { name: 'Create the QR code' }).click();
    const qr = wallet.getByRole('img', { name: /^QR code holding 1 item/ });
    await qr.waitFor();
    // The code as a verifier's camera would see it: a picture of the screen, large enough for
    // every module to span a few pixels (a phone held close to the screen).
    await qr.evaluate((element) => {
      (element as SVGElement).style.inlineSize = '1400px';
      (element as SVGElement).style.maxInlineSize = 'none';
    });
    const picture = await qr.screenshot();
    offlinePicture = picture;
    await verifier
      .getByLabel('QR code image')
      .setInputFiles({ name: 'offline.png', mimeType: 'image/png', buffer: picture });
    const result = verifier.getByRole('article', { name: /^(Valid|Not valid)$/ });
    await offlineVerdict(verifier, result);
    await step(verifier, 'verifier-offline-qr');
    expect(await result.getByRole('heading').first().textContent()).toBe('Valid');
    expect(await result.getByText('SD-JWT credential presentation').first().isVisible()).toBe(true);
    expect(await result.getByText('Over 18').isVisible()).toBe(true);
    expect(await result.getByText(/^XA trust list #\d+: /).isVisible()).toBe(true);
    expect(await result.getByText('✓ Revocation status').isVisible()).toBe(true);
  });

  it('5. the registrar records the death, revoking the credential', async () => {
    const record = registrar.getByRole('article', { name: `Record of ${personName}` });
    const death = record.getByRole('region', { name: 'Record a death' });
    const date = death.getByRole('group', { name: 'Date of death' });
    const today = new Date();
    await date.getByLabel('Year').fill(String(today.getUTCFullYear()));
    await date.getByLabel('Month').selectOption(String(today.getUTCMonth() + 1).padStart(2, '0'));
    await date.getByLabel('Day').fill(String(today.getUTCDate()));
    await death.getByLabel('Reason').fill('Death certificate from Port Demo hospital');
    await death.getByRole('button', { name: 'Record the death' }).click();
    await registrar.getByText('The death was recorded. The person’s credentials are revoked.').waitFor();
    expect(await record.getByText('Deceased').isVisible()).toBe(true);
    await step(registrar, 'registrar-death-recorded');
  });

  it('6. a new verification is refused as revoked', async () => {
    await verifier.getByRole('button', { name: 'Start a new request' }).click();
    const link = await askOver18();
    await openRequest(link);
    await wallet.getByRole('button', { name: 'Share', exact: true }).click();
    await wallet.getByRole('alert').first().waitFor();
    await step(wallet, 'wallet-share-refused');

    await verifier.getByRole('heading', { name: 'Refused' }).waitFor({ timeout: 20_000 });
    expect(await verifier.getByText('The credential has been revoked by its issuer.').isVisible()).toBe(true);
    expect(await verifier.getByText('Reason code: STATUS_REVOKED').isVisible()).toBe(true);
    await step(verifier, 'verifier-refused-revoked');

    // The same offline QR code as before the death: its revocation is seen too (status list online).
    await verifier
      .getByLabel('QR code image')
      .setInputFiles({ name: 'offline-again.png', mimeType: 'image/png', buffer: offlinePicture! });
    const again = verifier.getByRole('article', { name: 'Not valid' });
    await offlineVerdict(verifier, again);
    expect(await again.getByText('The credential has been revoked by its issuer.').isVisible()).toBe(true);
    await step(verifier, 'verifier-offline-qr-revoked');
  });
});
