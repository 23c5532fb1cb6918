// "Who looked at my record" in real Chromium against the real server: the holder receives the
// national identity credential, a registrar reads the record with a declared purpose through the
// API, and the wallet's History shows that access (who, when, why) after the holder agrees to show
// their identity number to the registry, and only that. Then: the holder's own look is listed the
// next time, the button says it needs the network when offline, the Arabic interface, and a
// revoked credential's coded refusal. axe-core (WCAG 2.2 A/AA) audits every state visited.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  enrolAndOffer,
  launchChromium,
  SCREENSHOT_DIR,
  startWalletServer,
  type WalletServer,
  WEB_DIST_INDEX,
} from './wallet-harness';

const PURPOSE = 'Pension review 12 (file PR-2291)';
// The credential's name is a bidi isolate (FSI … PDI) inside the sentence.
const CAPTION = /^Who looked at your record \(\u2068?National identity \(XA\)\u2069?\)$/;

let server: WalletServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let personId: string;

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

/** The registrar's API, as a console would call it. */
async function registrar(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.keys.registrar}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const accessesTable = () => page.getByRole('table', { name: CAPTION });

describe('who looked at my record', () => {
  it('receives the national identity credential', async () => {
    const offer = await enrolAndOffer(server);
    personId = offer.personId;
    await page.goto(`/wallet?offer=${encodeURIComponent(offer.link)}`);
    await page.getByRole('heading', { name: /^Offer from / }).waitFor();
    await page.getByLabel('Transaction code').fill(offer.txCode);
    await page.getByRole('button', { name: 'Get the credential' }).click();
    await page.getByRole('heading', { name: 'Check your new credential' }).waitFor();
    await page.getByRole('button', { name: 'Keep in my wallet' }).click();
    await page.getByText('The credential is in your wallet.').waitFor();
  });

  it('shows the registrar’s read with its declared purpose, after the holder agrees', async () => {
    // The registrar reads the record through the API, saying why; the registry records it.
    const before = Date.now();
    await registrar('GET', `/registry/persons/${personId}?purpose=${encodeURIComponent(PURPOSE)}`);

    await page.goto('/wallet/history');
    await page.getByRole('heading', { name: 'Official access to your record' }).waitFor();
    const show = page.getByRole('button', { name: 'Show who looked at my record' });
    await show.waitFor();
    expect(await show.getAttribute('aria-describedby')).toBeTruthy();
    await audit('20-accesses-ask');

    // Nothing is sent before the holder agrees, in plain words, to show their identity number.
    await show.click();
    const confirm = page.getByRole('region', { name: 'Show your identity number to your registry?' });
    await confirm.waitFor();
    expect(
      await page
        .getByRole('heading', { name: 'Show your identity number to your registry?' })
        .evaluate((element) => element === document.activeElement),
    ).toBe(true);
    expect(await confirm.textContent()).toMatch(/to your registry \(.+\) only/);
    expect(await confirm.textContent()).toMatch(/Your identity number: ?\d{10}/);
    await audit('21-accesses-confirm');
    // Cancel sends nothing and gives the focus back to the button.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await show.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await accessesTable().count()).toBe(0);

    await show.click();
    await confirm.getByRole('button', { name: 'Show the list' }).click();
    await accessesTable().waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Your registry lists 1 access' }).count()).toBe(
      1,
    );
    const rows = accessesTable().getByRole('row');
    expect(await rows.count()).toBe(2); // a header and the registrar's read
    expect(await rows.nth(0).textContent()).toBe('WhenWhoDeclared purpose');
    const cells = rows.nth(1).getByRole('cell');
    expect(await cells.nth(1).textContent()).toMatch(/^Registry staff \(access key .+\)$/);
    expect(await cells.nth(2).textContent()).toBe(PURPOSE);
    // When: a machine-readable time, shown in the holder's interface language (as the receipts).
    const datetime = (await cells.nth(0).locator('time').getAttribute('datetime')) ?? '';
    const at = Date.parse(datetime);
    expect(at).toBeGreaterThanOrEqual(before - 2000);
    expect(at).toBeLessThanOrEqual(Date.now() + 2000);
    const local = await page.evaluate(
      (iso) =>
        new Intl.DateTimeFormat(document.documentElement.lang, {
          dateStyle: 'medium',
          timeStyle: 'short',
        }).format(new Date(iso)),
      datetime,
    );
    expect(await cells.nth(0).textContent()).toBe(local);
    await audit('22-accesses-shown');
  });

  it('lists the holder’s own look the next time', async () => {
    await page.getByRole('button', { name: 'Show who looked at my record' }).click();
    await page.getByRole('button', { name: 'Show the list' }).click();
    await page.getByRole('status').filter({ hasText: 'Your registry lists 2 accesses' }).waitFor();
    const rows = accessesTable().getByRole('row');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).textContent()).toMatch(/You, from your wallet.*You looked at this list/);
    expect(await rows.nth(2).textContent()).toContain(PURPOSE);
  });

  it('says it needs the network when offline', async () => {
    await context.setOffline(true);
    try {
      await page.getByText('This list comes from your registry, so it needs a network connection.').waitFor();
      expect(await page.getByRole('button', { name: 'Show who looked at my record' }).isDisabled()).toBe(
        true,
      );
      await audit('23-accesses-offline');
    } finally {
      await context.setOffline(false);
    }
    await expect
      .poll(() => page.getByRole('button', { name: 'Show who looked at my record' }).isEnabled())
      .toBe(true);
  });

  it('speaks Arabic, right to left', async () => {
    await page.getByLabel('Language').selectOption('ar');
    await page.getByRole('button', { name: 'عرض من اطّلع على سجلي' }).click();
    await page.getByRole('button', { name: 'عرض القائمة' }).click();
    await page.getByRole('table', { name: /^من اطّلع على سجلك/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await audit('24-accesses-arabic');
    await page.getByRole('combobox').first().selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Your wallet' }).waitFor();
  });

  it('shows a coded refusal for a revoked credential', async () => {
    await registrar('POST', `/registry/persons/${personId}/deactivate`, {
      reason: 'test: credential withdrawn',
    });
    await page.reload();
    await page.getByRole('button', { name: 'Show who looked at my record' }).click();
    await page.getByRole('button', { name: 'Show the list' }).click();
    const alert = page.getByRole('alert').filter({
      hasText: 'Your registry did not accept the proof that this credential is yours.',
    });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Reason given: the credential (has been revoked|is suspended)/);
    await audit('25-accesses-refused');
  });
});
