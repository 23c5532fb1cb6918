// The wallet in real Chromium against the real server: receive the national identity credential
// with its transaction code (offer QR read from an image), a consent screen that lists only the
// asked claim, sharing it with the keyboard alone, declining, unticking an optional claim, the
// history, the Arabic interface right to left, and the wallet working offline after its first
// load. axe-core (WCAG 2.2 A/AA) audits every state visited; screenshots go to
// .test-results/web/wallet/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readQrFromImage } from '@trieste/adapters';
import { verifyQrText } from '@trieste/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  createRequest,
  dataUrlBytes,
  enrolAndOffer,
  launchChromium,
  requestResult,
  SCREENSHOT_DIR,
  startWalletServer,
  tabTo,
  VERIFIER_NAME,
  type WalletServer,
  WEB_DIST_INDEX,
} from './wallet-harness';

let server: WalletServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(WEB_DIST_INDEX)) throw new Error('apps/web/dist is not built: run npm run build first');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startWalletServer();
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-GB', baseURL: server.url });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function audit(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
}

describe('the wallet in Chromium', () => {
  it('receives the credential with the transaction code, showing issuer and claims first', async () => {
    await page.goto('/wallet');
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Your wallet' }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByText('You have no credentials yet.').isVisible()).toBe(true);
    await audit('01-empty-wallet');

    const { txCode, qrPng } = await enrolAndOffer(server);
    await page.getByRole('navigation', { name: 'Wallet' }).getByRole('link', { name: 'Receive' }).click();
    await page.getByRole('heading', { name: 'Receive a credential' }).waitFor();
    await audit('02-receive');

    // The offer's QR code, as the registrar printed it, read from a picture.
    await page.getByLabel('Or choose a picture of the QR code').setInputFiles({
      name: 'offer.png',
      mimeType: 'image/png',
      buffer: dataUrlBytes(qrPng),
    });
    await page.getByRole('heading', { name: /^Offer from / }).waitFor();
    expect(await page.getByText('National identity (XA)').isVisible()).toBe(true);
    await audit('03-offer');

    const wrong = txCode === '000000' ? '111111' : '000000';
    await page.getByLabel('Transaction code').fill(wrong);
    await page.getByRole('button', { name: 'Get the credential' }).click();
    await page.getByRole('alert').filter({ hasText: 'transaction code was not accepted' }).waitFor();
    await audit('04-wrong-code');

    // A wrong code is counted, not fatal (the issuer locks the offer after five): try again.
    await page.getByLabel('Transaction code').fill(txCode);
    await page.getByRole('button', { name: 'Get the credential' }).click();

    await page.getByRole('heading', { name: 'Check your new credential' }).waitFor();
    expect(await page.getByText('Amina').first().isVisible()).toBe(true);
    expect(await page.getByText('Aged 18 or over').isVisible()).toBe(true);
    await audit('05-review');
    await page.getByRole('button', { name: 'Keep in my wallet' }).click();
    await page.getByText('The credential is in your wallet.').waitFor();
    await audit('06-kept');

    // The holder key is a non-extractable WebCrypto key, stored as a CryptoKey object.
    const key = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('trieste-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('credentials').objectStore('credentials').getAll();
            all.onerror = () => reject(all.error);
            all.onsuccess = () => {
              const privateKey = all.result[0].holderKey.privateKey as CryptoKey;
              resolve({
                stored: all.result.length,
                isCryptoKey: privateKey instanceof CryptoKey,
                type: privateKey.type,
                extractable: privateKey.extractable,
                curve: (privateKey.algorithm as EcKeyAlgorithm).namedCurve,
              });
            };
          };
        }),
    );
    expect(key).toEqual({
      stored: 1,
      isCryptoKey: true,
      type: 'private',
      extractable: false,
      curve: 'P-256',
    });

    await page.getByRole('link', { name: 'See my credentials' }).click();
    await page.getByRole('heading', { name: 'National identity (XA)' }).waitFor();
    await page.getByText('Show the information in National identity (XA)').click();
    await audit('07-credentials');
  });

  it('lists only the asked claim and shares it with the keyboard alone (direct_post.jwt)', async () => {
    const { id, link } = await createRequest(server, { mode: 'direct_post.jwt' });
    await page.goto(`/wallet?request=${encodeURIComponent(link)}`);
    const heading = page.getByRole('heading', { name: `${VERIFIER_NAME} asks for your information` });
    await heading.waitFor();
    // Focus is on the heading: the consent screen is read from its start.
    expect(await heading.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.getByText('To check that you are over 18 before opening an account').isVisible()).toBe(
      true,
    );

    const claims = page.getByRole('group', { name: /^From your/ }).getByRole('listitem');
    expect(await claims.count()).toBe(1);
    expect(await claims.first().textContent()).toMatch(/Aged 18 or over: Yes/);
    for (const other of ['Given name', 'Family name', 'Date of birth', 'Personal identifier', 'Address']) {
      expect(await page.getByText(other).count(), other).toBe(0);
    }
    await audit('08-consent');

    const share = page.getByRole('button', { name: 'Share' });
    const presses = await tabTo(page, share);
    expect(presses).toBeGreaterThan(0);
    // The focus is visible on the button (WCAG 2.4.7): the stylesheet's :focus-visible outline.
    expect(await share.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Shared with ${VERIFIER_NAME}.` }).waitFor();
    await audit('09-shared');

    const result = await requestResult(server, id);
    expect(result['status']).toBe('verified');
    const answer = result['result'] as {
      credentials: Record<string, Array<{ claims: unknown }>>;
      dropped_claims: unknown[];
    };
    expect(answer.credentials['age']![0]!.claims).toEqual({ age_equal_or_over: { '18': true } });
    expect(answer.dropped_claims).toEqual([]);
  });

  it('declines with the keyboard: the verifier receives nothing', async () => {
    const { id, link } = await createRequest(server, { mode: 'direct_post' });
    await page.goto(`/wallet?request=${encodeURIComponent(link)}`);
    await page.getByRole('heading', { name: `${VERIFIER_NAME} asks for your information` }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Decline' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `You declined. ${VERIFIER_NAME} received nothing.` }).waitFor();
    await audit('10-declined');
    expect(await requestResult(server, id)).toMatchObject({ status: 'failed' });
  });

  it('says so when no credential answers, and can tell the verifier', async () => {
    const query = {
      credentials: [
        {
          id: 'licence',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['urn:example:driving-licence'] },
          claims: [{ path: ['categories'] }],
        },
      ],
    };
    const { id, link } = await createRequest(server, { query, purpose: 'To check your driving licence' });
    await page.goto(`/wallet?request=${encodeURIComponent(link)}`);
    await page.getByText('You have no credential that answers this request.').waitFor();
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    await audit('11-no-match');
    await page.getByRole('button', { name: 'Tell the service' }).click();
    await page.getByRole('heading', { name: `You declined. ${VERIFIER_NAME} received nothing.` }).waitFor();
    expect(await requestResult(server, id)).toMatchObject({ status: 'failed' });
  });

  it('lets the holder untick an optional claim', async () => {
    const query = {
      credentials: [
        {
          id: 'person',
          format: 'dc+sd-jwt',
          claims: [
            { id: 'family', path: ['family_name'] },
            { id: 'town', path: ['place_of_birth', 'locality'] },
          ],
          claim_sets: [['family', 'town'], ['family']],
        },
      ],
    };
    const { id, link } = await createRequest(server, { query, purpose: 'To address you by name' });
    // This time the link is pasted on the Share tab.
    await page.goto('/wallet');
    await page.getByRole('navigation', { name: 'Wallet' }).getByRole('link', { name: 'Share' }).click();
    await page.getByRole('heading', { name: 'Share information' }).waitFor();
    await page.getByLabel('Link', { exact: true }).fill(link);
    await page.getByLabel('Link', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: `${VERIFIER_NAME} asks for your information` }).waitFor();
    const optional = page.getByRole('checkbox', { name: /Locality of birth/ });
    expect(await optional.isChecked()).toBe(true);
    await optional.focus();
    await page.keyboard.press('Space');
    expect(await optional.isChecked()).toBe(false);
    await audit('12-optional-unticked');
    await tabTo(page, page.getByRole('button', { name: 'Share' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Shared with ${VERIFIER_NAME}.` }).waitFor();
    const result = await requestResult(server, id);
    const answer = result['result'] as { credentials: Record<string, Array<{ claims: unknown }>> };
    expect(answer.credentials['person']![0]!.claims).toEqual({ family_name: 'Haddad' });
  });

  it('keeps a consent receipt of every answer', async () => {
    await page.getByRole('link', { name: 'History' }).first().click();
    await page.getByRole('heading', { name: 'What you shared' }).waitFor();
    const rows = page.getByRole('table', { name: 'What you shared' }).getByRole('row');
    // The heading comes before the receipts are read from the device: wait for the rows.
    await expect.poll(() => rows.count()).toBe(5); // a header and four answers, newest first
    expect(await rows.nth(1).textContent()).toMatch(/To address you by name.*Family name.*shared/);
    expect(await rows.nth(2).textContent()).toMatch(/To check your driving licence.*nothing.*declined/);
    expect(await rows.nth(3).textContent()).toMatch(/nothing.*declined/);
    expect(await rows.nth(4).textContent()).toMatch(/Aged 18 or over.*shared/);
    expect(await page.getByRole('heading', { name: 'Official access to your record' }).isVisible()).toBe(
      true,
    );
    await audit('13-history');
  });

  it('switches to Arabic at any time and lays the page out right to left', async () => {
    await page.goto('/wallet');
    await page.getByRole('heading', { name: 'National identity (XA)' }).waitFor();
    await page.getByLabel('Language').selectOption('ar');
    await page.getByRole('heading', { level: 1, name: 'محفظتك' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    expect(await page.getByRole('navigation', { name: 'المحفظة' }).isVisible()).toBe(true);
    await audit('14-arabic');
    // The switcher is the page's one select, whatever its label says in Arabic.
    await page.getByRole('combobox').first().selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Your wallet' }).waitFor();
  });

  it('works offline after its first load: credentials and an offline QR code', async () => {
    await page.goto('/wallet');
    // The service worker precaches the shell and takes control (clientsClaim).
    await page.waitForFunction(() => Boolean(navigator.serviceWorker?.controller), undefined, {
      timeout: 30_000,
    });
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByRole('heading', { name: 'National identity (XA)' }).waitFor();
      expect(await page.getByText('You are offline.').isVisible()).toBe(true);
      await page
        .getByRole('navigation', { name: 'Wallet' })
        .getByRole('link', { name: 'Offline QR code' })
        .click();
      await page.getByRole('heading', { name: 'Offline QR code' }).waitFor();
      await page.getByRole('checkbox', { name: /Aged 18 or over/ }).check();
      await page.getByLabel('Verifier’s code (optional)').fill('DOOR-7');
      await page.getByRole('button', { name: 'Create the QR code' }).click();
      await page.getByRole('img', { name: /QR code holding 1 item of/ }).waitFor();
      expect(await page.getByRole('heading', { name: 'Presentation for DOOR-7' }).isVisible()).toBe(true);
      await audit('15-offline-qr');

      // A verifier with no network reads the code and verifies it with the issuer's key alone.
      const qr = page.getByRole('img', { name: /QR code holding/ });
      // Whole pixels per module (8), so the picture has no blurred module edges.
      await page.setViewportSize({ width: 1600, height: 1600 });
      await qr.evaluate((element) => {
        const modules = (element as SVGSVGElement).viewBox.baseVal.width;
        (element as SVGElement).style.inlineSize = `${modules * 8}px`;
        (element as SVGElement).style.maxInlineSize = 'none';
        (element as SVGElement).style.border = 'none';
      });
      const picture = await qr.screenshot({ path: join(SCREENSHOT_DIR, '16-offline-qr-code.png') });
      const text = readQrFromImage(picture);
      const issuerKey = (await server.stores.keys.list())[0]!;
      const verified = await verifyQrText(
        text,
        { keys: [{ jwk: issuerKey.publicJwk, iss: server.url }] },
        { now: Date.now() / 1000, sdJwt: { aud: 'offline:DOOR-7', requireKeyBinding: true } },
      );
      expect(verified, JSON.stringify(verified.steps)).toMatchObject({
        kind: 'sd-jwt',
        valid: true,
        claims: { age_equal_or_over: { '18': true } },
      });
      expect(Object.keys(verified.claims ?? {})).toEqual(['age_equal_or_over']);
    } finally {
      await context.setOffline(false);
    }
  });
});
