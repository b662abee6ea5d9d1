import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInBrowser,
  events,
  fieldFrame,
  fillRest,
  type Harness,
  openShop,
  startHarness,
  tokenize,
} from './harness.js';

describeInBrowser('hosted card fields in Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const input = (page: Page, field: string) => fieldFrame(page, field).locator('input');

  it('mounts one titled iframe of fixed height per field and emits ready for each', async () => {
    const page = await openShop(h, { holderName: true });
    const frames = page.locator('iframe');
    await expect(frames.count()).resolves.toBe(4);
    const described = await frames.evaluateAll((list) =>
      (list as HTMLIFrameElement[]).map((f) => ({ title: f.title, height: f.style.height, src: f.src })),
    );
    expect(described.map((f) => f.title)).toEqual([
      'Secure card number input',
      'Secure expiration date input',
      'Secure security code input',
      'Secure cardholder name input',
    ]);
    for (const f of described) {
      expect(f.height).toBe('88px');
      expect(new URL(f.src).origin).toBe(h.vaultUrl);
    }
    const ready = (await events(page)).filter((e) => e.name === 'ready').map((e) => e.field);
    expect(ready.sort()).toEqual(['cvc', 'expiry', 'holderName', 'number']);
    await expect(input(page, 'number').getAttribute('autocomplete')).resolves.toBe('cc-number');
    await expect(input(page, 'number').getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(input(page, 'expiry').getAttribute('autocomplete')).resolves.toBe('cc-exp');
    await expect(input(page, 'cvc').getAttribute('autocomplete')).resolves.toBe('cc-csc');
    await expect(input(page, 'holder_name').getAttribute('autocomplete')).resolves.toBe('cc-name');
    await page.context().close();
  });

  it('formats the number as it is typed and reports the brand visa', async () => {
    const page = await openShop(h);
    await input(page, 'number').pressSequentially('4242424242424242');
    await expect(input(page, 'number').inputValue()).resolves.toBe('4242 4242 4242 4242');
    await page.waitForFunction(() =>
      (window as unknown as { events: { name: string; valid?: boolean }[] }).events.some(
        (e) => e.name === 'change' && e.valid,
      ),
    );
    const log = await events(page);
    const brand = log.filter((e) => e.name === 'brand').at(-1);
    expect(brand).toEqual({
      name: 'brand',
      field: 'number',
      brand: 'visa',
      availableBrands: ['visa'],
      chosen: null,
    });
    const change = log.filter((e) => e.name === 'change' && e.field === 'number').at(-1);
    expect(change).toEqual({
      name: 'change',
      field: 'number',
      empty: false,
      complete: true,
      valid: true,
      error: null,
    });
    await page.context().close();
  });

  it('wants a four-digit CVC for an Amex card', async () => {
    const page = await openShop(h);
    await input(page, 'number').pressSequentially('378282246310005');
    await expect(input(page, 'number').inputValue()).resolves.toBe('3782 822463 10005');
    await input(page, 'cvc').pressSequentially('123');
    await input(page, 'cvc').blur();
    const cvcFrame = fieldFrame(page, 'cvc');
    await expect(cvcFrame.locator('#error-cvc').textContent()).resolves.toBe(
      "Your card's security code is incomplete.",
    );
    await input(page, 'cvc').pressSequentially('4');
    await input(page, 'cvc').blur();
    await expect(cvcFrame.locator('#error-cvc').textContent()).resolves.toBe('');
    const cvc = (await events(page)).filter((e) => e.name === 'change' && e.field === 'cvc').at(-1);
    expect(cvc?.valid).toBe(true);
    await page.context().close();
  });

  it('offers a network choice for a co-badged Cartes Bancaires card and sends the one chosen', async () => {
    const page = await openShop(h);
    await input(page, 'number').pressSequentially('4000002500001001');
    const select = fieldFrame(page, 'number').locator('select');
    await expect(select.isVisible()).resolves.toBe(true);
    await expect(select.getAttribute('aria-label')).resolves.toBe('Card network');
    await expect(select.locator('option').allTextContents()).resolves.toEqual(['Cartes Bancaires', 'Visa']);
    let brand = (await events(page)).filter((e) => e.name === 'brand').at(-1);
    expect(brand).toMatchObject({ brand: 'visa', availableBrands: ['cartes_bancaires', 'visa'] });
    await select.selectOption('visa');
    await page.waitForFunction(() =>
      (window as unknown as { events: { name: string; chosen?: string }[] }).events.some(
        (e) => e.name === 'brand' && e.chosen === 'visa',
      ),
    );
    await fillRest(page);
    const result = await tokenize(page);
    expect(result.token).toMatchObject({ object: 'token', card: { brand: 'visa' } });
    expect(h.tokenRequests.at(-1)?.body.card.brand).toBe('visa');

    await select.selectOption('cartes_bancaires');
    brand = (await events(page)).filter((e) => e.name === 'brand').at(-1);
    expect(brand?.chosen).toBe('cartes_bancaires');
    await tokenize(page);
    expect(h.tokenRequests.at(-1)?.body.card.brand).toBe('cartes_bancaires');
    await page.context().close();
  });

  it('accepts full-width digits from a Japanese keyboard, in Japanese', async () => {
    const page = await openShop(h, { locale: 'ja-JP' });
    await input(page, 'number').pressSequentially('４２４２４２４２４２４２４２４２');
    await expect(input(page, 'number').inputValue()).resolves.toBe('4242 4242 4242 4242');
    await expect(fieldFrame(page, 'number').locator('label').textContent()).resolves.toBe('カード番号');
    await input(page, 'expiry').pressSequentially('１２３０');
    await expect(input(page, 'expiry').inputValue()).resolves.toBe('12 / 30');
    await page.context().close();
  });

  it('adds the slash after the month by itself and lets backspace remove it', async () => {
    const page = await openShop(h);
    const expiry = input(page, 'expiry');
    await expiry.pressSequentially('12');
    await expect(expiry.inputValue()).resolves.toBe('12 / ');
    await expiry.press('Backspace');
    await expect(expiry.inputValue()).resolves.toBe('12');
    await expiry.fill('');
    await expiry.pressSequentially('4');
    await expect(expiry.inputValue()).resolves.toBe('04 / ');
    await expiry.pressSequentially('31');
    await expect(expiry.inputValue()).resolves.toBe('04 / 31');
    await page.context().close();
  });

  it("deletes the digit before a group's space on backspace instead of the space alone", async () => {
    const page = await openShop(h);
    const number = input(page, 'number');
    await number.pressSequentially('42424242');
    await number.evaluate((el: HTMLInputElement) => el.setSelectionRange(5, 5));
    await number.press('Backspace');
    await expect(number.inputValue()).resolves.toBe('4244 242');
    await expect(number.evaluate((el: HTMLInputElement) => el.selectionStart)).resolves.toBe(3);
    const expiry = input(page, 'expiry');
    await expiry.pressSequentially('123');
    await expiry.evaluate((el: HTMLInputElement) => el.setSelectionRange(5, 5));
    await expiry.press('Backspace');
    await expect(expiry.inputValue()).resolves.toBe('13');
    await page.context().close();
  });

  it('shows errors on blur, not while typing, with aria-invalid and aria-describedby', async () => {
    const page = await openShop(h, { locale: 'fr-FR' });
    const number = input(page, 'number');
    const frame = fieldFrame(page, 'number');
    await number.pressSequentially('42424242');
    await expect(number.getAttribute('aria-invalid')).resolves.toBe('false');
    await expect(frame.locator('#error-number').textContent()).resolves.toBe('');
    await number.blur();
    await expect(number.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = await number.getAttribute('aria-describedby');
    await expect(frame.locator(`#${describedBy}`).textContent()).resolves.toBe(
      'Le numéro de carte est incomplet.',
    );
    const change = (await events(page)).filter((e) => e.name === 'change' && e.field === 'number').at(-1);
    expect(change?.error).toEqual({
      code: 'incomplete_number',
      message: 'Le numéro de carte est incomplet.',
    });
    // Typing again clears the error until the next blur.
    await number.pressSequentially('4');
    await expect(number.getAttribute('aria-invalid')).resolves.toBe('false');
    await page.context().close();
  });

  it('shows every field error when tokenizing an incomplete card, and rejects', async () => {
    const page = await openShop(h);
    await input(page, 'number').pressSequentially('4242424242424242');
    const result = await tokenize(page);
    expect(result.error).toEqual({
      type: 'validation_error',
      code: 'incomplete_expiry',
      message: "Your card's expiration date is incomplete.",
      param: 'card[exp_month]',
    });
    await expect(input(page, 'expiry').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(input(page, 'cvc').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(input(page, 'number').getAttribute('aria-invalid')).resolves.toBe('false');
    await page.context().close();
  });

  it("shows the server's refusal in the field it names", async () => {
    const page = await openShop(h);
    await input(page, 'number').pressSequentially('4242424242424242');
    await fillRest(page, '000');
    const result = await tokenize(page);
    expect(result.error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_cvc',
      message: 'Refused: invalid_cvc.',
      param: 'card[cvc]',
    });
    await expect(input(page, 'cvc').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(fieldFrame(page, 'cvc').locator('#error-cvc').textContent()).resolves.toBe(
      "Your card's security code is invalid.",
    );
    await page.context().close();
  });
});
