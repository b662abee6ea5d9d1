import { catalogues, methodName, t } from '@payin/checkout';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { methodCatalogues, methodFailureMessage } from '../../../packages/checkout/src/i18n/methods.js';
import { strings } from '../src/strings.js';
import {
  describeInBrowser,
  expectNoAxeViolations,
  goToCheckout,
  paymentOf,
  type ShopPlatform,
  startShopPlatform,
} from './shopper.js';

/**
 * The methods other than cards, end to end: the drop-in's panel (loaded as its own chunk under
 * the shop's CSP, pinned by the import map), the provider's page on its emulator, and the way
 * back through payin to the shop.
 */
describeInBrowser(
  'demo shop: paying with PayPal, Klarna, Open Banking and konbini through the drop-in, in Chromium',
  { timeout: 120_000 },
  () => {
    let shop: ShopPlatform;
    let context: BrowserContext;
    let page: Page;
    let refused: string[];

    beforeAll(async () => {
      shop = await startShopPlatform();
    }, 300_000);
    afterAll(async () => {
      await shop?.close();
    });
    /** A browser page at desktop size, under every page's own policy (the shop's and the providers'). */
    const newPage = async () => {
      context = await shop.browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      // Whatever the browser refuses (CSP, an SRI mismatch) is said in the console.
      refused = [];
      page.on('console', (message) => {
        if (message.type() === 'error') refused.push(message.text());
      });
      return page;
    };
    afterEach(async () => {
      await context?.close();
    });

    const chooseMethod = async (name: string) => {
      await page.getByRole('radio', { name, exact: true }).check();
      await page.locator('.payin-checkout__method').waitFor();
    };
    const continueButton = () => page.locator('.payin-checkout__method button[type="submit"]');
    /** Back at the shop: the order page, paid (through the checkout while the payment settles). */
    const orderPaid = async (locale: keyof typeof strings) => {
      await page.waitForURL(/\/order\/return\?payment=/, { timeout: 60_000 });
      await expect(page.locator('h1').textContent()).resolves.toBe(strings[locale].orderPaid);
    };

    it('PayPal (France): approved on PayPal, the order paid', async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'fr' });
      await expect(page.locator('.payin-radio__label').allTextContents()).resolves.toEqual([
        catalogues['fr-FR'].methodCard,
        'PayPal',
        'Klarna',
        methodName('fr-FR', 'open_banking'),
      ]);
      const chunk = page.waitForResponse((r) =>
        /\/assets\/checkout\/payin-checkout\.v1-methods-/.test(r.url()),
      );
      await chooseMethod('PayPal');
      // The panel's chunk came from the shop, under its CSP and the import map's hash.
      expect((await chunk).status()).toBe(200);
      await expect(page.locator('.payin-checkout__card').isHidden()).resolves.toBe(true);
      await expect(continueButton().textContent()).resolves.toContain(
        methodCatalogues['fr-FR'].continue.paypal,
      );
      await expectNoAxeViolations(page, 'PayPal chosen');

      await continueButton().click();
      await page.waitForURL(/\/paypal\/checkoutnow\?token=/);
      await page.locator('button[value="pay"]').click();
      await orderPaid('fr-FR');
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
      expect(refused).toEqual([]);
    });

    it("Klarna (France): paid on Klarna's page by an approved shopper", async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'fr' });
      await chooseMethod('Klarna');
      await continueButton().click();
      await page.waitForURL(/\/klarna\/hpp\/pay\//);
      await page.locator('button[value="pay"]').click();
      await orderPaid('fr-FR');
      expect(['succeeded', 'requires_capture']).toContain((await paymentOf(shop.platform, paymentId)).status);
    });

    it("Klarna (France): cancelled on Klarna's page, back in the checkout with Klarna chosen and why", async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'fr' });
      await chooseMethod('Klarna');
      await continueButton().click();
      await page.waitForURL(/\/klarna\/hpp\/pay\//);
      await page.locator('button[value="cancel"]').click();
      await page.waitForURL(new RegExp(`/checkout/${paymentId}$`));
      const alert = page.locator('.payin-checkout__alert');
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toContain(
        methodFailureMessage('fr-FR', 'canceled_by_shopper', 'Klarna'),
      );
      await expect(page.getByRole('radio', { name: 'Klarna', exact: true }).isChecked()).resolves.toBe(true);
      await expectNoAxeViolations(page, 'back from Klarna, cancelled');
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('requires_payment_method');
    });

    it('Open Banking (France): name and e-mail, the bank chosen and consent given, processing, then paid', async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'fr' });
      const messages = methodCatalogues['fr-FR'];
      await chooseMethod(methodName('fr-FR', 'open_banking'));
      // Checked before anything is sent: the first field to correct has focus.
      await continueButton().click();
      const name = page.getByLabel(messages.fieldName, { exact: true });
      const email = page.getByLabel(messages.fieldEmail, { exact: true });
      await expect(name.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await expect(name.getAttribute('aria-invalid')).resolves.toBe('true');
      await expectNoAxeViolations(page, 'Open Banking, details missing');
      await name.fill('Camille Martin');
      await email.fill('camille.martin@example.fr');
      await continueButton().click();

      await page.locator('button[value="select"]').click();
      await page.locator('button[value="authorise"]').click();
      // Back at the shop while the bank executes the transfer: the checkout says so, and reads it.
      await page.waitForURL(new RegExp(`/checkout/${paymentId}$`));
      const processing = page.locator('.payin-checkout__message');
      await processing.waitFor();
      await expect(processing.textContent()).resolves.toBe(t('fr-FR', 'processing'));
      await expectNoAxeViolations(page, 'Open Banking, processing');
      await orderPaid('fr-FR');
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
    });

    it('konbini (Japan): the voucher with its number, paid at the store, the order paid', async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'jp' });
      const messages = methodCatalogues['ja-JP'];
      await chooseMethod(methodName('ja-JP', 'konbini'));
      await page.getByLabel(messages.fieldName, { exact: true }).fill('山田 花子');
      await page.getByLabel(messages.fieldEmail, { exact: true }).fill('hanako.yamada@example.jp');
      await page.getByLabel(messages.fieldPhone, { exact: true }).fill('090-1234-5678');
      await continueButton().click();

      const reference = page.locator('.payin-checkout__voucher-reference');
      await reference.waitFor();
      const number = (await reference.textContent())?.trim() ?? '';
      expect(number).toMatch(/^\d{6,13}$/);
      await expect(
        page.evaluate(() => document.activeElement?.classList.contains('payin-checkout__voucher-title')),
      ).resolves.toBe(true);
      await expectNoAxeViolations(page, 'konbini voucher');

      // The store takes the cash: the emulator's control API, by the voucher's number.
      const emulators = shop.platform.emulatorsUrl;
      const ledger = (await (await fetch(`${emulators}/_control/adyen/ledger`)).json()) as {
        payments: { pspReference: string; voucher?: { reference: string } }[];
      };
      const psp = ledger.payments.find((p) => p.voucher?.reference === number)?.pspReference;
      expect(psp).toBeTruthy();
      const paid = await fetch(`${emulators}/_control/adyen/vouchers/${psp}/pay`, { method: 'POST' });
      expect(paid.status).toBe(200);
      await orderPaid('ja-JP');
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
    });

    it("Bizum (Spain): the form posted on through payin's page, confirmed in the bank's app, the order paid", async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'es' });
      await chooseMethod('Bizum');
      await continueButton().click();
      // payin's redirect page posts Adyen's form on by itself, under its own policy.
      await page.waitForURL(/\/adyen\/redirect\/bizum/);
      await page.locator('button[value="confirm"]').click();
      await orderPaid('es-ES');
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('succeeded');
      expect(refused).toEqual([]);
    });

    it('PayPay (Japan): refused in the app, back in the checkout with PayPay chosen and why', async () => {
      await newPage();
      const { paymentId } = await goToCheckout(page, shop.platform.shopUrl, { market: 'jp' });
      await chooseMethod('PayPay');
      await continueButton().click();
      await page.waitForURL(/\/adyen\/redirect\/paypay/);
      await page.locator('button[value="refuse"]').click();
      await page.waitForURL(new RegExp(`/checkout/${paymentId}$`));
      const alert = page.locator('.payin-checkout__alert');
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toContain(
        methodFailureMessage('ja-JP', 'payment_declined', 'PayPay'),
      );
      await expect(page.getByRole('radio', { name: 'PayPay', exact: true }).isChecked()).resolves.toBe(true);
      expect((await paymentOf(shop.platform, paymentId)).status).toBe('requires_payment_method');
    });
  },
);
