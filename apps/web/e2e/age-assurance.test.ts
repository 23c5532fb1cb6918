// Issue 8 in real Chromium against the real server: proofs of age and parental consent, people on
// their own devices (browser contexts). An adult receives a batch of single-use proofs of age from
// the registrar console and passes "over 18" (the verifier console says "Yes — over 18"); each
// proof is used once and never offered again (the count goes down, no two presentations share a
// credential); a proof of age shown offline as a QR code checks out in the verifier console; the
// wallet tops up through the registry when few are left; a 15-year-old fails "over 16" with a
// clear "No", and a wallet with nothing to prove it gets a plain "not proven"; the guardian
// receives a guardian credential and consents for the child, the wallet naming the service, the
// child and the purpose, the verifier console showing the verified consent. axe-core audits every
// new screen (WCAG 2.2 A/AA); screenshots go to apps/web/e2e/artifacts/age-assurance/.
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
import { AMINA, call } from './wallet-harness';

let server: TestServer;
let browser: Browser;
let registrar: Page;
let verifier: Page;
/** Amina's phone: an adult, and the guardian of Sami. */
let adult: Page;
/** Sami's phone: 15 years old. */
let child: Page;
const step = checkedSteps('age-assurance');

const OFFICE = 'Port Demo civil registry, desk 2';
let amina: { id: string; uin: string };
let sami: { id: string; uin: string };

beforeAll(async () => {
  await ensureWebBuilt();
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  registrar = (await newPage(browser, server.url)).page;
  verifier = (await newPage(browser, server.url)).page;
  adult = (await newPage(browser, server.url)).page;
  child = (await newPage(browser, server.url)).page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function enrol(person: Record<string, unknown>): Promise<{ id: string; uin: string }> {
  const enrolled = await call(server, server.keys.registrar, 'POST', '/registry/persons', {
    person,
    office: OFFICE,
  });
  const record = enrolled['person'] as { id: string; uin: string };
  return { id: record.id, uin: record.uin };
}

/** A date of birth `years` years and a month ago (so the person is `years` old today). */
function bornYearsAgo(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.toISOString().slice(0, 10);
}

/** The holder opens an offer link in the wallet, types the code if asked, and keeps what comes. */
async function receive(
  wallet: Page,
  link: string,
  txCode: string | undefined,
  review?: { name: string; text?: string },
) {
  await wallet.goto(`/wallet?offer=${encodeURIComponent(link)}`);
  await wallet.getByRole('heading', { name: /^Offer from / }).waitFor();
  if (txCode) await wallet.getByLabel('Transaction code').fill(txCode);
  await wallet.getByRole('button', { name: 'Get the credential' }).click();
  await wallet.getByRole('heading', { name: 'Check your new credential' }).waitFor();
  if (review?.text) await wallet.getByText(review.text).waitFor();
  if (review) await step(wallet, review.name);
  await wallet.getByRole('button', { name: 'Keep in my wallet' }).click();
  await wallet.getByText('The credential is in your wallet.').waitFor();
}

/** The registrar console's offer receipt: its transaction code (if any) and its link. */
async function readReceipt(): Promise<{ link: string; txCode: string | undefined }> {
  const receipt = registrar.getByRole('region', { name: 'Credential offer receipt' });
  await receipt.waitFor();
  const code = receipt.getByTestId('tx-code');
  const txCode = (await code.count()) > 0 ? ((await code.textContent()) ?? '').trim() : undefined;
  return { link: await receipt.getByLabel('Credential offer link').inputValue(), txCode };
}

async function findRecord(uin: string, name: RegExp) {
  await registrar
    .getByRole('navigation', { name: 'Registrar tasks' })
    .getByRole('link', { name: 'Find a record' })
    .click();
  await registrar.getByLabel('UIN').fill(uin);
  await registrar.getByLabel('Purpose of this look-up').fill('The person asked for a credential at the desk');
  await registrar.getByRole('button', { name: 'Find' }).click();
  const record = registrar.getByRole('article', { name });
  await record.waitFor();
  return record;
}

/** The verifier console makes a request from a template; returns its link. */
async function ask(template: string, fill?: () => Promise<void>): Promise<string> {
  const another = verifier.getByRole('button', { name: 'Start a new request' });
  if (await another.isVisible()) await another.click();
  await verifier.getByRole('heading', { name: 'Ask a wallet for information' }).waitFor();
  await verifier.getByLabel(template, { exact: true }).check();
  await expect.poll(() => verifier.getByLabel('Trusted issuers').inputValue()).toBe(server.url);
  if (fill) await fill();
  await verifier.getByRole('button', { name: 'Create the request' }).click();
  await verifier.getByRole('heading', { name: 'Waiting for the wallet' }).waitFor();
  return verifier.getByLabel('Request link').inputValue();
}

async function openRequest(wallet: Page, link: string): Promise<void> {
  await wallet.goto(`/wallet?request=${encodeURIComponent(link)}`);
  await wallet.getByRole('heading', { name: `${VERIFIER_NAME} asks for your information` }).waitFor();
}

/** Shares, and returns the vp_token the wallet posted (direct_post: a form the test can read). */
async function shareAndCapture(wallet: Page): Promise<Record<string, string[]>> {
  const posted = wallet.waitForRequest(
    (request) => request.method() === 'POST' && (request.postData() ?? '').includes('vp_token'),
  );
  await wallet.getByRole('button', { name: 'Share', exact: true }).click();
  const body = new URLSearchParams((await posted).postData() ?? '');
  await wallet.getByRole('heading', { name: `Shared with ${VERIFIER_NAME}.` }).waitFor();
  return JSON.parse(body.get('vp_token') ?? '{}') as Record<string, string[]>;
}

interface StoredView {
  id: string;
  vct: string;
  singleUse?: boolean;
  usedAt?: number;
  batchId?: string;
}

/** The wallet's IndexedDB records, without their keys (what the test needs to count). */
function storedCredentials(wallet: Page): Promise<StoredView[]> {
  return wallet.evaluate(
    () =>
      new Promise<StoredView[]>((resolve, reject) => {
        const open = indexedDB.open('trieste-wallet');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('credentials').objectStore('credentials').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            open.result.close();
            resolve(
              (all.result as StoredView[]).map(({ id, vct, singleUse, usedAt, batchId }) => ({
                id,
                vct,
                ...(singleUse === undefined ? {} : { singleUse }),
                ...(usedAt === undefined ? {} : { usedAt }),
                ...(batchId === undefined ? {} : { batchId }),
              })),
            );
          };
        };
      }),
  );
}

const AGE_VCT = 'urn:trieste:xa:age:1';
const unusedAge = (list: StoredView[]) => list.filter((c) => c.vct === AGE_VCT && c.usedAt === undefined);

/** The parts of an SD-JWT presentation a colluding verifier could compare. */
function parts(presentation: string) {
  const [jws, ...rest] = presentation.split('~');
  const kb = rest.pop() ?? '';
  const payload = JSON.parse(Buffer.from(jws!.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  return { jws: jws!, disclosures: rest.filter(Boolean), kb, payload };
}

const presented: string[] = [];

describe('age assurance and parental consent', { timeout: 90_000 }, () => {
  it('an adult receives a batch of proofs of age through the registrar console', async () => {
    amina = await enrol(AMINA);
    const national = await call(
      server,
      server.keys.registrar,
      'POST',
      `/registry/persons/${amina.id}/credential-offer`,
    );
    await receive(
      adult,
      (national['links'] as { by_reference: string }).by_reference,
      national['tx_code'] as string,
    );

    await signIn(registrar, '/registrar', server.keys.registrar);
    const record = await findRecord(amina.uin, /^Record of Amina/);
    await record.getByRole('radio', { name: /^Proofs of age/ }).check();
    await step(registrar, 'registrar-choose-credential');
    await record.getByRole('button', { name: 'Issue proofs of age' }).click();
    const { link, txCode } = await readReceipt();
    await step(registrar, 'registrar-age-offer');

    await receive(adult, link, txCode, {
      name: 'wallet-age-review',
      text: '10 proofs of age, each for one use.',
    });
    const stored = await storedCredentials(adult);
    const ages = unusedAge(stored);
    expect(ages).toHaveLength(10);
    expect(new Set(ages.map((c) => c.id)).size).toBe(10);
    expect(new Set(ages.map((c) => c.batchId)).size).toBe(1);
    expect(ages.every((c) => c.singleUse === true)).toBe(true);

    await adult.goto('/wallet');
    await adult.getByText('10 proofs of age left').waitFor();
    await step(adult, 'wallet-credentials-pool');
  });

  it('(a) the adult passes "over 18": the wallet says so plainly, the verifier console shows Yes', async () => {
    await signIn(verifier, '/verifier', server.keys.verifier);
    const link = await ask('Over 18 only');
    await openRequest(adult, link);
    await adult.getByText('They will learn only that you are over 18 — nothing else.').waitFor();
    for (const other of ['Amina', 'Haddad', '1990', 'Port Demo']) {
      expect(await adult.getByRole('main').getByText(other).count(), other).toBe(0);
    }
    await step(adult, 'wallet-consent-over-18');
    const vpToken = await shareAndCapture(adult);
    expect(Object.keys(vpToken)).toEqual(['age']);
    presented.push(vpToken['age']![0]!);

    const answer = verifier.getByRole('region', { name: 'Over 18?' });
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.getByText('Yes — over 18').isVisible()).toBe(true);
    await step(verifier, 'verifier-yes-over-18');

    await adult.goto('/wallet');
    await adult.getByText('9 proofs of age left').waitFor();
  });

  it('(d) a used proof of age is never offered again, and two presentations share nothing', async () => {
    // Another relying party asks (the API, "over 21"): the wallet must use another credential.
    const created = await call(server, server.keys.verifier, 'POST', '/verifier/requests', {
      template: { type: 'age_over', age: 21 },
      trusted_issuers: [server.url],
      response_mode: 'direct_post',
    });
    await openRequest(adult, created['authorization_request'] as string);
    await adult.getByText('They will learn only that you are over 21 — nothing else.').waitFor();
    const vpToken = await shareAndCapture(adult);
    presented.push(vpToken['age']![0]!);
    const result = await call(server, server.keys.verifier, 'GET', `/verifier/requests/${created['id']}`);
    expect(result).toMatchObject({ status: 'verified', age_check: { age: 21, over: true } });

    const [first, second] = presented.map(parts);
    expect(first!.jws).not.toBe(second!.jws);
    expect(first!.payload['cnf']).not.toEqual(second!.payload['cnf']);
    expect(first!.payload['_sd']).not.toEqual(second!.payload['_sd']);
    for (const d of first!.disclosures) expect(second!.disclosures).not.toContain(d);
    expect(first!.payload['status']).toBeUndefined();

    const stored = await storedCredentials(adult);
    const used = stored.filter((c) => c.usedAt !== undefined);
    expect(used).toHaveLength(2);
    expect(new Set(used.map((c) => c.id)).size).toBe(2);
    expect(unusedAge(stored)).toHaveLength(8);
    await adult.goto('/wallet');
    await adult.getByText('8 proofs of age left').waitFor();
  });

  it('(e) an offline proof of age checks out in the verifier console, and is used up', async () => {
    await adult.goto('/wallet/offline');
    await adult.getByRole('heading', { name: 'Show a proof of age' }).waitFor();
    await step(adult, 'wallet-show-proof-of-age');
    await adult.getByRole('radio', { name: 'Over 18' }).check();
    await adult.getByRole('button', { name: 'Show the proof of age' }).click();
    const qr = adult.getByRole('img', { name: 'QR code: a proof that you are over 18' });
    await qr.waitFor();
    await adult.getByText('This proof of age is now used up. 7 left.').waitFor();
    await step(adult, 'wallet-age-qr');
    await qr.evaluate((element) => {
      (element as SVGElement).style.inlineSize = '1400px';
      (element as SVGElement).style.maxInlineSize = 'none';
    });
    const picture = await qr.screenshot();

    await verifier.goto('/verifier');
    await verifier
      .getByLabel('QR code image')
      .setInputFiles({ name: 'age.png', mimeType: 'image/png', buffer: picture });
    const verdict = verifier.getByRole('article', { name: /^(Valid|Not valid)$/ });
    await offlineVerdict(verifier, verdict);
    await step(verifier, 'verifier-offline-age');
    expect(await verdict.getByRole('heading').first().textContent()).toBe('Valid');
    expect(await verdict.getByText('Over 18').isVisible()).toBe(true);
    expect(await verdict.getByText('Amina').count()).toBe(0);
    expect(unusedAge(await storedCredentials(adult))).toHaveLength(7);
  });

  it('offers a top-up through the registry when fewer than three proofs of age are left, and tops up only when asked', async () => {
    // Five more used (as if shown at five venues): two left.
    await adult.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('trieste-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('credentials', 'readwrite');
            const store = tx.objectStore('credentials');
            const all = store.getAll();
            all.onsuccess = () => {
              const unused = (all.result as Array<{ vct: string; usedAt?: number }>).filter(
                (c) => c.vct === 'urn:trieste:xa:age:1' && c.usedAt === undefined,
              );
              for (const c of unused.slice(0, 5)) store.put({ ...c, usedAt: Date.now() / 1000 });
            };
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await adult.goto('/wallet');
    const accept = adult.getByRole('button', { name: 'Get new proofs of age' });
    await accept.waitFor();
    await adult.getByText('2 proofs of age left').waitFor();
    await step(adult, 'wallet-top-up-offer');
    // "Not now": the offer goes and nothing is asked of the registry.
    await adult.getByRole('button', { name: 'Not now' }).click();
    expect(await accept.count()).toBe(0);
    expect(unusedAge(await storedCredentials(adult))).toHaveLength(2);
    // Offered again on the next visit; accepted, the registry sends a new batch.
    await adult.reload();
    await accept.click();
    await adult.getByText('10 new proofs of age received.').waitFor({ timeout: 20_000 });
    expect(await accept.count()).toBe(0);
    await adult.getByText('12 proofs of age left').waitFor();
    await step(adult, 'wallet-topped-up');
    const stored = await storedCredentials(adult);
    expect(unusedAge(stored)).toHaveLength(12);
    // The used ones are gone with the new batch; the two left are of the first batch.
    expect(stored.filter((c) => c.usedAt !== undefined)).toEqual([]);
    expect(new Set(unusedAge(stored).map((c) => c.batchId)).size).toBe(2);
  });

  it('(b) a 15-year-old fails "over 16" with a clear No; a wallet with nothing to show, a plain "not proven"', async () => {
    sami = await enrol({
      names: [{ script: 'Latn', given: 'Sami', family: 'Haddad' }],
      dateOfBirth: { value: bornYearsAgo(15) },
      sex: 'male',
      placeOfBirth: { locality: 'Port Demo', country: 'XA' },
      address: { lines: ['1 Harbour Road'], locality: 'Port Demo', country: 'XA' },
      nationality: ['XA'],
      legalStatus: 'citizen',
      guardians: [{ personId: amina.id, relationship: 'mother' }],
    });
    const offer = await call(
      server,
      server.keys.registrar,
      'POST',
      `/registry/persons/${sami.id}/credential-offer`,
      { credential: 'age' },
    );
    expect(offer['credential_configuration_id']).toBe('age_xa');
    await receive(
      child,
      (offer['links'] as { by_reference: string }).by_reference,
      offer['tx_code'] as string | undefined,
    );

    const link = await ask('Over 16 only');
    await openRequest(child, link);
    await child.getByText('They will learn only that you are not over 16 — nothing else.').waitFor();
    await step(child, 'wallet-consent-not-over-16');
    await shareAndCapture(child);
    const answer = verifier.getByRole('region', { name: 'Over 16?' });
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.getByText('No — not over 16').isVisible()).toBe(true);
    await step(verifier, 'verifier-no-not-over-16');

    // A wallet holding nothing that answers: it tells the service, which says "not proven".
    const { context, page: empty } = await newPage(browser, server.url);
    const again = await ask('Over 16 only');
    await openRequest(empty, again);
    await empty.getByText('You have no credential that answers this request.').waitFor();
    await empty.getByRole('button', { name: 'Tell the service' }).click();
    await verifier.getByRole('heading', { name: 'Refused' }).waitFor({ timeout: 20_000 });
    expect(
      await verifier
        .getByText('Not proven: the wallet did not prove that the person is over 16.')
        .isVisible(),
    ).toBe(true);
    await step(verifier, 'verifier-not-proven');
    await context.close();
  });

  it('(c) the guardian receives a guardian credential and consents for the child', async () => {
    await registrar.goto('/registrar');
    const record = await findRecord(sami.uin, /^Record of Sami/);
    await record.getByRole('radio', { name: /^Guardian credential/ }).check();
    await record.getByRole('radio', { name: `Guardian ${amina.id}, for this child` }).check();
    await step(registrar, 'registrar-guardian-offer');
    await record.getByRole('button', { name: 'Issue the guardian credential' }).click();
    const { link, txCode } = await readReceipt();
    await receive(adult, link, txCode, { name: 'wallet-guardian-review', text: 'Sami' });

    const request = await ask('Parental consent', async () => {
      await verifier.getByLabel('Child’s given name').fill('Sami');
      await verifier.getByLabel('What the guardian agrees to').fill('Open a learning account for Sami');
      await verifier.getByLabel('Service name (optional)').fill('Kids Learning');
      await step(verifier, 'verifier-consent-template');
    });
    await openRequest(adult, request);
    const terms = adult.getByRole('region', { name: 'What you are asked to agree to' });
    expect(await terms.getByText('Kids Learning').isVisible()).toBe(true);
    expect(await terms.getByText('Sami', { exact: true }).isVisible()).toBe(true);
    expect(await terms.getByText('Open a learning account for Sami').isVisible()).toBe(true);
    expect(await adult.getByText(VERIFIER_NAME).first().isVisible()).toBe(true);
    await step(adult, 'wallet-parental-consent');
    const vpToken = await shareAndCapture(adult);
    expect(Object.keys(vpToken)).toEqual(['guardian']);

    const consent = verifier.getByRole('region', { name: 'Parental consent' });
    await consent.waitFor({ timeout: 20_000 });
    expect(await consent.getByText('Consent given and verified').isVisible()).toBe(true);
    expect(await consent.getByText('Sami', { exact: true }).isVisible()).toBe(true);
    expect(await consent.getByText('Open a learning account for Sami').isVisible()).toBe(true);
    expect(await consent.getByText('Amina').count()).toBe(0);
    await step(verifier, 'verifier-consent');
  });

  it('a share that fails uses the proof up: the retry shows another one, never the same twice', async () => {
    const created = await call(server, server.keys.verifier, 'POST', '/verifier/requests', {
      template: { type: 'age_over', age: 18 },
      trusted_issuers: [server.url],
      response_mode: 'direct_post',
    });
    const before = unusedAge(await storedCredentials(adult)).length;
    expect(before).toBeGreaterThan(3);
    await openRequest(adult, created['authorization_request'] as string);
    await adult.getByText('They will learn only that you are over 18 — nothing else.').waitFor();
    // The first answer is lost on the way (the network fails after it left the wallet).
    let lost: string | undefined;
    await adult.route('**/*', async (route) => {
      const body = route.request().postData() ?? '';
      if (lost === undefined && route.request().method() === 'POST' && body.includes('vp_token')) {
        lost = body;
        await route.abort('failed');
      } else await route.continue();
    });
    await adult.getByRole('button', { name: 'Share', exact: true }).click();
    await adult.getByText('The service could not be reached. Check your connection and try again.').waitFor();
    await adult.unrouteAll();
    expect(lost).toBeDefined();
    expect(unusedAge(await storedCredentials(adult))).toHaveLength(before - 1);

    const retried = await shareAndCapture(adult);
    const first = JSON.parse(new URLSearchParams(lost).get('vp_token') ?? '{}') as Record<string, string[]>;
    expect(parts(retried['age']![0]!).jws).not.toBe(parts(first['age']![0]!).jws);
    expect(unusedAge(await storedCredentials(adult))).toHaveLength(before - 2);
    const result = await call(server, server.keys.verifier, 'GET', `/verifier/requests/${created['id']}`);
    expect(result).toMatchObject({ status: 'verified', age_check: { age: 18, over: true } });
  });

  it('shows the new screens in Arabic, right to left, with every message translated', async () => {
    await adult.goto('/wallet');
    await adult.getByLabel('Language').selectOption('ar');
    await expect.poll(() => adult.evaluate(() => document.documentElement.dir)).toBe('rtl');
    for (const path of ['/wallet', '/wallet/offline']) {
      await adult.goto(path);
      await adult.getByRole('heading', { level: 1, name: 'محفظتك' }).waitFor();
      const main = adult.getByRole('main');
      // The credentials are read from the device after the heading shows: wait for them.
      await expect.poll(async () => (await main.textContent()) ?? '').toContain('إثبات');
      const text = (await main.textContent()) ?? '';
      // An untranslated message would show its key.
      expect(text).not.toMatch(/\b(age|consent|credentials|offlineQr)\.[a-zA-Z]+/);
      await step(adult, `wallet-arabic${path.replaceAll('/', '-')}`);
    }
    await adult.getByRole('combobox').first().selectOption('en');

    await verifier.goto('/verifier');
    const another = verifier.getByRole('button', { name: 'Start a new request' });
    if (await another.isVisible()) await another.click();
    await verifier.getByLabel('Language').selectOption('ar');
    await verifier.getByLabel('أكبر من 16 عامًا فقط').check();
    const builder = (await verifier.getByRole('main').textContent()) ?? '';
    expect(builder).not.toMatch(/\bverifier\.[a-zA-Z]+/);
    await step(verifier, 'verifier-arabic-templates');
    await verifier.getByRole('combobox').first().selectOption('en');
  });
});
