import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { declineMessage, formatAmount, t } from '@payin/checkout';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { catalogues as fieldMessages } from '../../vault/src/fields/messages/index.js';
import { markets, productBySku } from '../src/catalogue.js';
import { strings } from '../src/strings.js';
import {
  cardError,
  cardFieldsLoaded,
  cardFrameOf,
  cardInput,
  cardLabel,
  cards,
  describeInBrowser,
  expectNoAxeViolations,
  fillCard,
  goToCheckout,
  paymentOf,
  type ShopPlatform,
  startShopPlatform,
} from './shopper.js';

/** Where CI keeps what the browser tests leave (gitignored). */
const ARTEFACTS = resolve(import.meta.dirname, '..', '..', '..', 'test-results');

describeInBrowser(
  'demo shop: paying through the drop-in and the vault fields, in Chromium',
  { timeout: 90_000 },
  () => {
    let shop: ShopPlatform;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      shop = await startShopPlatform();
    }, 300_000);
    afterAll(async () => {
      await shop?.close();
    });
    const newPage = async (viewport = { width: 1280, height: 900 }) => {
      context = await shop.browser.newContext({ viewport, locale: 'en-US' });
      page = await context.newPage();
      return page;
    };
    afterEach(async () => {
      await context?.close();
    });

    it('pays by card: the order page says paid, and payin has the amount of the cart', async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'us' });
      await fillCard(page, cards.visa);
      await page.locator('.payin-checkout__pay').click();
      await page.waitForURL(/\/order\/return\?payment=/);
      await expect(page.locator('h1').textContent()).resolves.toBe(strings['en-US'].orderPaid);
      const payment = await paymentOf(shop.platform, paymentId);
      expect(payment).toMatchObject({
        status: 'succeeded',
        currency: 'USD',
        amount: productBySku('iphone-13-128')?.prices.USD,
        amount_received: productBySku('iphone-13-128')?.prices.USD,
      });
    });

    it('shows a decline in a focused alert, keeps the card, and pays with another card', async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'us' });
      await fillCard(page, cards.visa, cards.wrongCvc);
      await page.locator('.payin-checkout__pay').click();
      const alert = page.locator('.payin-checkout__alert');
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toContain(declineMessage('en-US', 'generic_decline'));
      await expect(alert.textContent()).resolves.toContain('Your card was declined.');
      await expect(alert.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      // What the shopper typed is still there.
      await expect(cardInput(page, 'number').inputValue()).resolves.toBe('4111 1111 1111 1111');
      await expect(cardInput(page, 'cvc').inputValue()).resolves.toBe(cards.wrongCvc);
      await expectNoAxeViolations(page, 'error');
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('requires_payment_method');

      await cardInput(page, 'number').fill('');
      await cardInput(page, 'number').pressSequentially(cards.mastercard);
      await cardInput(page, 'cvc').fill('');
      await cardInput(page, 'cvc').pressSequentially(cards.testCvc);
      await page.locator('.payin-checkout__pay').click();
      await page.waitForURL(/\/order\/return\?payment=/);
      await expect(page.locator('h1').textContent()).resolves.toBe(strings['en-US'].orderPaid);
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
    });

    it('checks a field when the shopper leaves it, in the frame and around it', async () => {
      await newPage();
      await goToCheckout(page, shop.platform.shopUrl, { market: 'us' });
      const number = cardInput(page, 'number');
      await number.pressSequentially('4111 1111');
      await expect(cardError(page, 'number').textContent()).resolves.toBe('');
      await page.keyboard.press('Tab');
      await expect
        .poll(() => cardError(page, 'number').textContent())
        .toBe(fieldMessages['en-US'].errors.incomplete_number);
      await expect(number.getAttribute('aria-invalid')).resolves.toBe('true');
      await expectNoAxeViolations(page, 'invalid field');
    });

    it("passes 3-D Secure in the bank's page inside the checkout", async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'us' });
      await fillCard(page, cards.challenged);
      await page.locator('.payin-checkout__pay').click();
      const bank = await challengeFrame(page);
      // Focus is on the heading above the frame: the next Tab is in the bank's page.
      await expect(
        page.evaluate(() => document.activeElement?.classList.contains('payin-checkout__challenge-title')),
      ).resolves.toBe(true);
      await expectNoAxeViolations(page, '3-D Secure');
      await bank.getByRole('button', { name: 'Complete' }).click();
      await page.waitForURL(/\/order\/return\?payment=/);
      await expect(page.locator('h1').textContent()).resolves.toBe(strings['en-US'].orderPaid);
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
    });

    it("comes back to the form with the bank's refusal when 3-D Secure fails, and pays with another card", async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'us' });
      await fillCard(page, cards.challenged);
      await page.locator('.payin-checkout__pay').click();
      await (await challengeFrame(page)).getByRole('button', { name: 'Fail' }).click();
      const alert = page.locator('.payin-checkout__alert');
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toContain(
        declineMessage('en-US', 'authentication_required'),
      );
      await expect(page.locator('.payin-checkout__challenge-window').count()).resolves.toBe(0);
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('requires_payment_method');
      await cardFieldsLoaded(page);
      await fillCard(page, cards.visa);
      await page.locator('.payin-checkout__pay').click();
      await page.waitForURL(/\/order\/return\?payment=/);
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
    });

    for (const market of Object.values(markets)) {
      it(`speaks ${market.locale} in ${market.name}: amounts in ${market.currency} and every label`, async () => {
        await newPage();
        await goToCheckout(page, shop.platform.shopUrl, { market: market.id });
        const price = productBySku('iphone-13-128')?.prices[market.currency] as number;
        const amount = formatAmount(price, market.currency, market.locale);
        await expect(page.locator('.payin-checkout__pay').textContent()).resolves.toBe(
          t(market.locale, 'pay', { amount }),
        );
        await expect(page.locator('.payin-checkout legend').first().textContent()).resolves.toContain(
          t(market.locale, 'methodsLabel'),
        );
        await expect(page.locator('.payin-checkout').getAttribute('lang')).resolves.toBe(market.locale);
        await expect(cardLabel(page, 'number').textContent()).resolves.toBe(
          fieldMessages[market.locale].label.number,
        );
        await expect(cardLabel(page, 'cvc').textContent()).resolves.toBe(
          fieldMessages[market.locale].label.cvc,
        );
      });
    }

    it('is paid with the keyboard alone: Tab and Shift-Tab cross the card frame in order', async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'fr' });
      // Into the form from the page's last element before it.
      await page.locator('#payin-checkout').evaluate((el) => {
        const radio = el.querySelector<HTMLInputElement>('input[type="radio"], [role="radio"]');
        radio?.focus();
      });
      const where = async (): Promise<string> => {
        const field = await cardFrameOf(page).evaluate(() =>
          document.hasFocus() ? (document.activeElement as HTMLInputElement | null)?.name : undefined,
        );
        if (field) return field;
        return page.evaluate(() => {
          const el = document.activeElement;
          return el?.classList.contains('payin-checkout__pay') ? 'pay' : `${el?.tagName}`;
        });
      };
      const steps: string[] = [];
      const yy = String((new Date().getFullYear() + 2) % 100).padStart(2, '0');
      const typing: Record<string, string> = { number: cards.visa, expiry: `12${yy}`, cvc: cards.testCvc };
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        const now = await where();
        steps.push(now);
        if (typing[now]) await page.keyboard.type(typing[now] as string);
        await expectFocusNotHidden(page);
      }
      expect(steps).toEqual(['number', 'expiry', 'cvc', 'pay']);
      const back: string[] = [];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('Shift+Tab');
        back.push(await where());
      }
      expect(back).toEqual(['cvc', 'expiry', 'number']);
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
      expect(await where()).toBe('pay');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/order\/return\?payment=/);
      await expect(page.locator('h1').textContent()).resolves.toBe(strings['fr-FR'].orderPaid);
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
    });

    it('fits a 360 px phone: no sideways scroll, targets of 24 px or more, a screenshot kept', async () => {
      await newPage({ width: 360, height: 740 });
      await goToCheckout(page, shop.platform.shopUrl, { market: 'es' });
      await fillCard(page, cards.visa);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const small = await page.locator('#payin-checkout').evaluate((root) =>
        Array.from(root.querySelectorAll<HTMLElement>('button, input, select, a, iframe, label:has(input)'))
          .filter((el) => el.getClientRects().length > 0)
          .map((el) => ({ el: `${el.tagName}.${el.className}`, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.width < 24 || box.height < 24)
          .map(({ el, box }) => `${el} ${box.width}×${box.height}`),
      );
      expect(small).toEqual([]);
      const card = await page.locator('iframe[src*="/fields/v1/frame"]').boundingBox();
      expect(card?.x).toBeGreaterThanOrEqual(0);
      expect((card?.x ?? 0) + (card?.width ?? 0)).toBeLessThanOrEqual(360);
      // Inside it, each field's input whole and a full-size target: none cut by the frame's edge.
      const rows = await cardFrameOf(page).evaluate(() =>
        Array.from(document.querySelectorAll('.row')).map((row) => {
          const box = row.getBoundingClientRect();
          return { left: box.left, right: box.right, height: box.height, width: innerWidth };
        }),
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.left).toBeGreaterThanOrEqual(0);
        expect(row.right).toBeLessThanOrEqual(row.width);
        expect(row.height).toBeGreaterThanOrEqual(24);
      }
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTEFACTS, 'checkout-360.png'), fullPage: true });
    });

    it("shows the bank's page across a 360 px phone (EMV's full-screen window), a screenshot kept", async () => {
      await newPage({ width: 360, height: 740 });
      await goToCheckout(page, shop.platform.shopUrl, { market: 'us' });
      await fillCard(page, cards.challenged);
      await page.locator('.payin-checkout__pay').click();
      await challengeFrame(page);
      const checkout = await page.locator('.payin-checkout').boundingBox();
      const window = await page.locator('.payin-checkout__challenge-window').boundingBox();
      expect(window?.width).toBe(checkout?.width);
      expect(window?.height).toBe(400);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTEFACTS, 'checkout-360-3ds.png'), fullPage: true });
    });

    it('has no axe violations while loading, filled, and once paid', async () => {
      await newPage();
      // The drop-in's first read of the payment is held back, so the loading state stays on screen.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route(/\/v1\/checkout\/payments\/[^/?]+\?/, async (route) => {
        if (route.request().method() === 'GET') await held;
        await route.continue();
      });
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { waitForFields: false });
      await page.locator('.payin-checkout .payin-skeleton').first().waitFor();
      await expectNoAxeViolations(page, 'loading');
      release();
      await cardFieldsLoaded(page);
      await fillCard(page, cards.visa);
      await expectNoAxeViolations(page, 'filled');

      // The default market is France. Paid, the shop leaves for its order page at once; that
      // navigation is cancelled here (as a click elsewhere would), so the drop-in's success stays.
      await page.route(/\/order\/return/, (route) => route.abort('aborted'), { times: 1 });
      await page.locator('.payin-checkout__pay').click();
      await page.locator('.payin-alert--success').waitFor();
      await expectNoAxeViolations(page, 'success');
      await page.goto(`${shop.platform.shopUrl}/order/return?payment=${paymentId}`);
      await expect(page.locator('h1').textContent()).resolves.toBe(strings['fr-FR'].orderPaid);
      await expectNoAxeViolations(page, 'order page');
    });
  },
);

/** The bank's page, inside the vault's container, inside the checkout. */
async function challengeFrame(page: Page): Promise<FrameLocator> {
  await page.locator('.payin-checkout__challenge-window').waitFor();
  const bank = page.frameLocator('.payin-checkout__challenge-window').frameLocator('iframe');
  await bank.getByRole('button', { name: 'Complete' }).waitFor();
  return bank;
}

/** The focused element (or the frame holding it) is on screen and not under another element. */
async function expectFocusNotHidden(page: Page): Promise<void> {
  const hidden = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'nothing focused';
    const box = el.getBoundingClientRect();
    const x = box.left + Math.min(box.width / 2, 8);
    const y = box.top + Math.min(box.height / 2, 8);
    if (y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) return null; // scrolled to on typing
    const top = document.elementFromPoint(x, y);
    return top === el || el.contains(top) ? null : `${el.tagName} under ${top?.tagName}.${top?.className}`;
  });
  expect(hidden).toBeNull();
}
