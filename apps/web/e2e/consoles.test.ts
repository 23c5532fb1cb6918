// The registrar and verifier consoles in real Chromium against the real server: every page and
// state audited by axe-core (WCAG 2.2 A/AA, 0 violations), the registrar's enrolment completed
// with the keyboard alone, the Arabic interface right to left, and the offline QR check.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  ensureWebBuilt,
  launchChromium,
  newPage,
  screenshots,
  startServer,
  type TestServer,
  tabTo,
} from './harness';

let server: TestServer;
let browser: Browser;
const snap = screenshots('consoles');

beforeAll(async () => {
  await ensureWebBuilt();
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function audit(page: Page, name: string): Promise<void> {
  await snap(page, name);
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
}

async function signIn(page: Page, path: '/registrar' | '/verifier', key: string): Promise<void> {
  await page.goto(path);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(/^Signed in with key trieste\./).waitFor();
}

let seq = 0;
/** A person the matcher has never seen (distinct names per call), as the API takes it. */
function person(given: string) {
  seq++;
  return {
    names: [{ script: 'Latn', given, family: `Okonkwo${'x'.repeat(seq)}` }],
    dateOfBirth: { value: '1985-07-12' },
    sex: 'male',
  };
}

describe('the registrar console', { timeout: 60_000 }, () => {
  it('signs in with an API key and refuses a wrong one', async () => {
    const { context, page } = await newPage(browser, server.url);
    await page.goto('/registrar');
    await page.getByRole('heading', { level: 1, name: 'Registrar console' }).waitFor();
    await audit(page, 'registrar-sign-in');
    await page.getByLabel('API key').fill('trieste.nope.nope');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This API key is not valid' }).waitFor();
    await audit(page, 'registrar-sign-in-refused');
    await page.getByLabel('API key').fill(server.keys.verifier);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not have the registrar role' }).waitFor();
    await page.getByLabel('API key').fill(server.keys.registrar);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enrol a person', level: 2 }).waitFor();
    // Kept for the tab only: a reload stays signed in, a new tab would not.
    await page.reload();
    await page.getByRole('heading', { name: 'Enrol a person', level: 2 }).waitFor();
    await audit(page, 'registrar-enrol-form');

    await page.getByRole('button', { name: 'Enrol' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'problems' });
    await summary.waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    await summary.getByRole('link', { name: 'Enter the family name' }).click();
    expect(
      await page
        .getByRole('group', { name: 'Name in Latin script' })
        .getByLabel('Family name')
        .evaluate((element) => element === document.activeElement),
    ).toBe(true);
    await audit(page, 'registrar-enrol-errors');
    await context.close();
  });

  it('completes an enrolment with the keyboard alone', async () => {
    const { context, page } = await newPage(browser, server.url);
    const type = async (target: ReturnType<Page['getByLabel']>, text: string) => {
      await tabTo(page, target);
      await page.keyboard.type(text);
    };
    await page.goto('/registrar');
    await type(page.getByLabel('API key'), server.keys.registrar);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Enrol a person', level: 2 }).waitFor();

    const latin = page.getByRole('group', { name: 'Name in Latin script' });
    await type(latin.getByLabel('Given name'), 'Keyboard');
    await type(latin.getByLabel('Family name'), 'Only');
    const arabic = page.getByRole('group', { name: 'Name in Arabic script (optional)' });
    await type(arabic.getByLabel('Given name'), 'كيبورد');
    await type(arabic.getByLabel('Family name'), 'فقط');
    const dob = page.getByRole('group', { name: 'Date of birth' });
    await type(dob.getByLabel('Year'), '1979');
    // A native select: arrow keys choose the month (March).
    await tabTo(page, dob.getByLabel('Month'));
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await type(dob.getByLabel('Day'), '9');
    await tabTo(page, dob.getByLabel('The date is estimated'));
    await page.keyboard.press('Space');
    // Radio buttons: Tab enters the group, Space chooses.
    const sex = page.getByRole('group', { name: 'Sex' });
    await tabTo(page, sex.getByLabel('Female'));
    await page.keyboard.press('ArrowDown');
    expect(await sex.getByLabel('Male', { exact: true }).isChecked()).toBe(true);
    await type(page.getByLabel('Registration office'), 'Port Demo, desk 5');
    await tabTo(page, page.getByRole('button', { name: 'Enrol' }));
    await page.keyboard.press('Enter');

    const outcome = page.getByRole('heading', { name: 'Enrolled', level: 2 });
    await outcome.waitFor();
    expect(await outcome.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.getByText(/^Enrolled with UIN \d{10}$/).isVisible()).toBe(true);
    const record = page.getByRole('article', { name: 'Record of Keyboard Only' });
    expect(await record.getByText('1979-03-09').isVisible()).toBe(true);
    expect(await record.getByText('(estimated)', { exact: false }).isVisible()).toBe(true);
    expect(await record.getByText('كيبورد فقط').isVisible()).toBe(true);
    await audit(page, 'registrar-enrolled');

    // The focus indicator is visible on a focused control (WCAG 2.4.7).
    const issue = page.getByRole('button', { name: 'Issue the national identity credential' });
    await tabTo(page, issue);
    expect(await issue.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('solid');
    await page.keyboard.press('Enter');
    const receipt = page.getByRole('region', { name: 'Credential offer receipt' });
    await receipt.waitFor();
    expect(await receipt.getByText(/^\d{6}$/).isVisible()).toBe(true);
    expect(await receipt.getByRole('img', { name: /QR code to receive/ }).isVisible()).toBe(true);
    await audit(page, 'registrar-offer-receipt');
    await context.close();
  });

  it('sends a possible duplicate to review, decides it in the queue, finds, updates and deactivates a record', async () => {
    const chidi = person('Chidi');
    const enrolled = await fetch(`${server.url}/registry/persons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.registrar}`, 'content-type': 'application/json' },
      body: JSON.stringify({ person: chidi, office: 'API' }),
    }).then((response) => response.json() as Promise<{ person: { uin: string } }>);
    const { context, page } = await newPage(browser, server.url);
    await signIn(page, '/registrar', server.keys.registrar);
    const latin = page.getByRole('group', { name: 'Name in Latin script' });
    await latin.getByLabel('Given name').fill('Chidi');
    await latin.getByLabel('Family name').fill(chidi.names[0]!.family);
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Year').fill('1985');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Month').selectOption('07');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Day').fill('12');
    await page.getByRole('group', { name: 'Sex' }).getByLabel('Male', { exact: true }).check();
    await page.getByLabel('Registration office').fill('Port Demo, desk 2');
    await page.getByRole('button', { name: 'Enrol' }).click();
    // The same name, sex and date of birth as a record enrolled before, nothing else to tell them
    // apart: the matcher neither creates nor refuses, it sends the record to a supervisor.
    await page.getByRole('heading', { name: 'Sent for review', level: 2 }).waitFor();
    const review = await page
      .getByText(/^Possible duplicate: case \S+ waits for a supervisor$/)
      .textContent();
    const caseId = review?.split(' ')[3] ?? '';
    await audit(page, 'registrar-review');

    await page
      .getByRole('navigation', { name: 'Registrar tasks' })
      .getByRole('link', { name: 'Find a record' })
      .click();
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('Enter the UIN: 6 to 20 digits').waitFor();
    await page.getByLabel('UIN').fill(enrolled.person.uin);
    await page.getByLabel('Purpose of this look-up').fill('Citizen asked for a correction at the desk');
    await page.getByRole('button', { name: 'Find' }).click();
    const record = page.getByRole('article', { name: /^Record of Chidi/ });
    await record.waitFor();
    await audit(page, 'registrar-record');
    // The paper ID: fetched with the key, offered as a PDF download, previewed as its QR image.
    await record.getByRole('button', { name: 'Prepare the paper ID' }).click();
    const pdf = record.getByRole('link', { name: 'Download the paper ID (PDF)' });
    await pdf.waitFor();
    expect(await pdf.getAttribute('href')).toMatch(/^blob:/);
    expect(await pdf.getAttribute('download')).toBe(`paper-id-${enrolled.person.uin}.pdf`);
    expect(await record.getByRole('img', { name: 'The paper ID’s signed QR code' }).isVisible()).toBe(true);
    await audit(page, 'registrar-paper-id');
    await record.getByRole('button', { name: 'Update the record' }).click();
    await page.getByRole('heading', { name: 'Update the record', level: 3 }).waitFor();
    await page.getByRole('group', { name: 'Name in Latin script' }).getByLabel('Middle name').fill('Emeka');
    await page
      .getByRole('textbox', { name: 'Reason', exact: true })
      .fill('Middle name from the birth certificate');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.getByText(/^The record was updated/).waitFor();
    expect(await page.getByRole('article', { name: /^Record of Chidi Emeka/ }).isVisible()).toBe(true);
    await audit(page, 'registrar-record-updated');

    const deactivate = page.getByRole('region', { name: 'Deactivate the record' });
    await deactivate.getByLabel('Reason').fill('Reported lost identity documents');
    await deactivate.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText(/^The record was deactivated/).waitFor();
    await audit(page, 'registrar-record-deactivated');

    await page
      .getByRole('navigation', { name: 'Registrar tasks' })
      .getByRole('link', { name: 'Adjudication queue' })
      .click();
    await page.getByText(/Only a supervisor can see and decide cases/).waitFor();
    await audit(page, 'registrar-queue-not-supervisor');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, '/registrar/cases', server.keys.supervisor);
    await page.getByRole('heading', { name: 'Adjudication queue', level: 2 }).waitFor();
    const card = page.getByRole('article', { name: `Case ${caseId}` });
    await card.waitFor();
    await audit(page, 'registrar-queue');
    await card.getByLabel('Note for the decision').fill('Different mothers named on the birth certificates');
    await card.getByRole('button', { name: 'Different people: give the new record a UIN' }).click();
    await page.getByText('Decided: the new record is a different person and has a UIN.').waitFor();
    // The queue reloads after the decision: the case leaves it.
    await expect.poll(() => page.getByRole('article', { name: `Case ${caseId}` }).count()).toBe(0);
    await audit(page, 'registrar-queue-decided');
    await context.close();
  });
});

describe('the verifier console', { timeout: 60_000 }, () => {
  it('builds a request from a template or a custom DCQL query, and shows the QR code and link', async () => {
    const { context, page } = await newPage(browser, server.url);
    await signIn(page, '/verifier', server.keys.verifier);
    await page.getByRole('heading', { name: 'Ask a wallet for information' }).waitFor();
    await expect.poll(() => page.getByLabel('Trusted issuers').inputValue()).toBe(server.url);
    await audit(page, 'verifier-builder');
    await page.getByLabel('Custom DCQL query').check();
    await page.getByLabel('DCQL query', { exact: true }).fill('{ not json');
    await page.getByRole('button', { name: 'Create the request' }).click();
    await page.getByText('The query is not valid JSON').waitFor();
    await audit(page, 'verifier-custom-invalid');
    await page.getByLabel('Nationality only').check();
    expect(await page.getByLabel('Purpose shown to the person').inputValue()).toBe(
      'To check your nationality',
    );
    await page.getByRole('button', { name: 'Create the request' }).click();
    await page.getByRole('heading', { name: 'Waiting for the wallet' }).waitFor();
    expect(await page.getByRole('img', { name: /QR code of the request/ }).isVisible()).toBe(true);
    expect(await page.getByLabel('Request link').inputValue()).toMatch(/^openid4vp:\/\/\?client_id=/);
    expect(
      await page
        .getByRole('link', { name: 'Open the request in the wallet on this device' })
        .getAttribute('href'),
    ).toMatch(/^\/wallet\?request=openid4vp/);
    await audit(page, 'verifier-waiting');
    await page.getByRole('button', { name: 'Cancel the request' }).click();
    await page.getByRole('heading', { name: 'Ask a wallet for information' }).waitFor();
    await context.close();
  });

  it('checks an offline QR code in the browser against the trust list: a paper ID image and bad text', async () => {
    const enrolled = await fetch(`${server.url}/registry/persons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.registrar}`, 'content-type': 'application/json' },
      body: JSON.stringify({ person: person('Paper'), office: 'API' }),
    }).then((response) => response.json() as Promise<{ person: { id: string } }>);
    const png = await fetch(
      `${server.url}/registry/persons/${enrolled.person.id}/paper-id?format=png&purpose=test%20print`,
      { headers: { authorization: `Bearer ${server.keys.registrar}` } },
    ).then(async (response) => Buffer.from(await response.arrayBuffer()));
    const { context, page } = await newPage(browser, server.url);
    await page.goto('/verifier');
    await page
      .getByLabel('QR code image')
      .setInputFiles({ name: 'paper-id.png', mimeType: 'image/png', buffer: png });
    // The paper ID's Claim 169 code is signed by the issuer key, which this jurisdiction's trust
    // list vouches for as an issuer of claim169 codes: valid, offline, in the browser.
    const result = page.getByRole('article', { name: 'Valid' });
    await result.waitFor();
    expect(await result.getByText('identity QR code (Claim 169)').first().isVisible()).toBe(true);
    expect(await result.getByText(/The trust list of XA/).isVisible()).toBe(true);
    await audit(page, 'verifier-offline-paper-id');

    await page.getByLabel('QR code text').fill('HC1:NOT-A-REAL-CODE');
    await page.getByRole('button', { name: 'Verify the code' }).click();
    await page.getByRole('heading', { name: 'Not valid' }).waitFor();
    await audit(page, 'verifier-offline-invalid');
    await context.close();
  });
});

describe('languages', { timeout: 60_000 }, () => {
  it('switches to Arabic at any time: right to left, the layout mirrored, and back', async () => {
    const { context, page } = await newPage(browser, server.url);
    await page.goto('/registrar');
    const brand = page.getByRole('link', { name: 'Trieste' }).first();
    const switcher = page.getByLabel('Language');
    const ltrBrand = (await brand.boundingBox())!;
    const ltrSwitcher = (await switcher.boundingBox())!;
    expect(ltrBrand.x).toBeLessThan(ltrSwitcher.x);

    await switcher.selectOption('ar');
    await page.getByRole('heading', { level: 1, name: 'وحدة تحكم السجل المدني' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    // Mirrored: the brand now starts at the right edge, the language switcher at the left.
    const rtlBrand = (await brand.boundingBox())!;
    const rtlSwitcher = (await page.getByLabel('اللغة').boundingBox())!;
    expect(rtlBrand.x).toBeGreaterThan(rtlSwitcher.x);
    const width = page.viewportSize()!.width;
    expect(rtlBrand.x + rtlBrand.width).toBeGreaterThan(width / 2);
    // The form starts at the right: the key field's right edge is the content's right edge.
    const field = (await page.getByLabel('مفتاح API').boundingBox())!;
    const heading = (await page.getByRole('heading', { level: 1 }).boundingBox())!;
    expect(field.x + field.width).toBeGreaterThan(width / 2);
    expect(Math.abs(field.x + field.width - (heading.x + heading.width))).toBeLessThan(40);
    expect(await page.title()).toContain('وحدة تحكم السجل المدني');
    await audit(page, 'arabic-registrar');

    // The choice is kept for the other pages.
    await page.goto('/verifier');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('heading', { level: 1, name: 'وحدة تحكم المُتحقِّق' }).waitFor();
    await audit(page, 'arabic-verifier');
    await page.goto('/wallet');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await audit(page, 'arabic-wallet');

    for (const [code, heading] of [
      ['fr', 'Console du vérificateur'],
      ['es', 'Consola del verificador'],
      ['en', 'Verifier console'],
    ] as const) {
      await page.goto('/verifier');
      await page.getByRole('combobox').first().selectOption(code);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
      await audit(page, `${code}-verifier`);
    }
    await context.close();
  });
});
