import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Frame, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { expect } from 'vitest';
import { type RunningPlatform, startPlatform } from '../../../scripts/start-platform.js';
import { CHROMIUM, cardFrame } from '../../vault/e2e/harness.js';
import type { MarketId } from '../src/catalogue.js';

export { describeInBrowser } from '../../vault/e2e/harness.js';

/** The checkout's card is one vault frame; its fields are `number`, `expiry` and `cvc`. */
export const cardInput = (page: Page, field: string) => cardFrame(page).locator(`#input-${field}`);
export const cardError = (page: Page, field: string) => cardFrame(page).locator(`#error-${field}`);
export const cardLabel = (page: Page, field: string) =>
  cardFrame(page).locator(`label[for="input-${field}"]`);

/** The card frame itself, to ask it where its focus is. */
export function cardFrameOf(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/fields/v1/frame?fields=number%2C'));
  if (!frame) throw new Error('no card frame');
  return frame;
}

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** Cards of the Adyen emulator (Adyen's test cards): 737 is the test CVC, any other is refused. */
export const cards = {
  visa: '4111111111111111',
  mastercard: '5555341244441115',
  /** Enrolled in 3-D Secure 2, always challenged. */
  challenged: '4917610000000000',
  testCvc: '737',
  wrongCvc: '123',
} as const;

export interface ShopPlatform {
  platform: RunningPlatform;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The platform as `npm start` runs it, with the drop-in built into a folder of its own for the
 * shop to serve, and one Chromium for the file's tests.
 */
export async function startShopPlatform(): Promise<ShopPlatform> {
  const dist = mkdtempSync(join(tmpdir(), 'payin-checkout-dist-'));
  const { build } = await import('vite');
  await build({
    configFile: join(ROOT, 'packages/checkout/vite.config.ts'),
    logLevel: 'warn',
    // Build timings are noise in a test's output.
    build: { outDir: dist, rolldownOptions: { checks: { pluginTimings: false } } },
  });
  const platform = await startPlatform({ env: { SHOP_CHECKOUT_DIST: dist } });
  const browser = await chromium
    .launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
    .catch(async (error) => {
      await platform.stop();
      throw error;
    });
  return {
    platform,
    browser,
    async close() {
      await browser.close();
      await platform.stop();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

/** The payment as the shop's server sees it, with the merchant's secret key. */
export async function paymentOf(
  platform: RunningPlatform,
  id: string,
): Promise<{ id: string; status: string; amount: number; currency: string; amount_received: number }> {
  const response = await fetch(`${platform.apiUrl}/v1/payments/${id}`, {
    headers: { Authorization: `Bearer ${platform.demo.secretKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

/**
 * A shopper's way to the checkout: the market chosen in the header, a product added from the
 * list, the cart's checkout button. Resolves on the checkout page with the card fields loaded
 * (unless `waitForFields: false`, for a test that holds the drop-in back).
 */
export async function goToCheckout(
  page: Page,
  shopUrl: string,
  opts: { market?: MarketId; sku?: string; waitForFields?: boolean } = {},
): Promise<{ paymentId: string }> {
  await page.goto(`${shopUrl}/`);
  if (opts.market) {
    await page.selectOption('#market', opts.market);
    await Promise.all([page.waitForURL(`${shopUrl}/**`), page.click('.shop-market button')]);
  }
  const sku = opts.sku ?? 'iphone-13-128';
  await page.locator(`form:has(input[name="sku"][value="${sku}"]) button`).click();
  await page.waitForURL(`${shopUrl}/cart`);
  await page.locator('form[action="/checkout"] button').click();
  await page.waitForURL(/\/checkout\/pay_/);
  if (opts.waitForFields !== false) await cardFieldsLoaded(page);
  const paymentId = new URL(page.url()).pathname.split('/').at(-1) as string;
  return { paymentId };
}

/** The pay button shown and the card frame loaded (its skeleton gone). */
export async function cardFieldsLoaded(page: Page): Promise<void> {
  await page.locator('.payin-checkout__pay').waitFor({ state: 'visible' });
  await expect
    .poll(() => page.locator('.payin-checkout__frame-placeholder').count(), { timeout: 20_000 })
    .toBe(0);
}

/** Two years ahead, as the expiry field takes it (MMYY). */
export function expiry(): string {
  return `12${String((new Date().getFullYear() + 2) % 100).padStart(2, '0')}`;
}

export async function fillCard(page: Page, number: string, cvc: string = cards.testCvc): Promise<void> {
  await cardInput(page, 'number').pressSequentially(number);
  await cardInput(page, 'expiry').pressSequentially(expiry());
  await cardInput(page, 'cvc').pressSequentially(cvc);
}

/** WCAG 2.0–2.2 A and AA rules, in the page and in every frame (the vault's, the bank's). */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `axe in the ${state} state`).toEqual([]);
}
