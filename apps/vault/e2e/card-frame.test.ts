import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  cardFrame,
  describeInBrowser,
  events,
  type Harness,
  openShop,
  startHarness,
  tokenize,
} from './harness.js';

/** The card in one frame: fields given one container share it (what the checkout mounts). */
describeInBrowser('hosted card fields: the card in one frame', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const input = (page: Page, field: string) => cardFrame(page).locator(`#input-${field}`);
  const error = (page: Page, field: string) => cardFrame(page).locator(`#error-${field}`);
  const lastFocus = async (page: Page) =>
    (await events(page)).filter((e) => e.name === 'focus').at(-1)?.field;

  it('is one titled iframe of two rows; Tab and Shift-Tab go through its fields in order', async () => {
    const page = await openShop(h, { oneFrame: true, locale: 'fr-FR' });
    const frames = page.locator('iframe');
    await expect(frames.count()).resolves.toBe(1);
    await expect(frames.getAttribute('title')).resolves.toBe('Saisie sécurisée des informations de carte');
    await expect(frames.evaluate((f: HTMLIFrameElement) => f.style.height)).resolves.toBe('170px');
    const ready = (await events(page)).filter((e) => e.name === 'ready').map((e) => e.field);
    expect(ready).toEqual(['number', 'expiry', 'cvc']);
    await expect(cardFrame(page).locator('title').textContent()).resolves.toBe('Informations de la carte');
    await expect(input(page, 'number').getAttribute('autocomplete')).resolves.toBe('cc-number');
    await expect(input(page, 'expiry').getAttribute('autocomplete')).resolves.toBe('cc-exp');
    await expect(input(page, 'cvc').getAttribute('autocomplete')).resolves.toBe('cc-csc');
    // The expiry and the CVC share the second row, inside the frame's height: nothing scrolls.
    const boxes = await cardFrame(page)
      .locator('.field')
      .evaluateAll((list) => list.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes[1]?.top).toBe(boxes[2]?.top);
    expect(boxes[1]?.top).toBeGreaterThan(boxes[0]?.top ?? 0);
    expect(Math.max(...boxes.map((b) => b.bottom))).toBeLessThanOrEqual(170);

    await page.focus('#before');
    const order: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(50);
      order.push(await lastFocus(page));
    }
    expect(order).toEqual(['number', 'expiry', 'cvc']);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('after');
    const back: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      await page.waitForTimeout(50);
      back.push(await lastFocus(page));
    }
    expect(back).toEqual(['cvc', 'expiry', 'number']);
    await page.keyboard.press('Shift+Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('before');
    await page.context().close();

    const withName = await openShop(h, { oneFrame: true, holderName: true });
    await expect(withName.locator('iframe').evaluate((f: HTMLIFrameElement) => f.style.height)).resolves.toBe(
      '252px',
    );
    await withName.context().close();
  });

  it('tokenizes from one frame: the CVC follows the network, a refusal shows in its field', async () => {
    const page = await openShop(h, { oneFrame: true });
    const yy = String((new Date().getFullYear() + 2) % 100).padStart(2, '0');
    await input(page, 'number').pressSequentially('378282246310005');
    await input(page, 'expiry').pressSequentially(`12${yy}`);
    await input(page, 'cvc').pressSequentially('123');
    // American Express: four digits, which the CVC learnt from the number in the same frame.
    let result = await tokenize(page);
    expect(result.error).toMatchObject({ code: 'incomplete_cvc', param: 'card[cvc]' });
    await expect(input(page, 'cvc').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(input(page, 'number').getAttribute('aria-invalid')).resolves.toBe('false');

    await input(page, 'number').fill('');
    await input(page, 'number').pressSequentially('4242424242424242');
    await input(page, 'cvc').fill('');
    await input(page, 'cvc').pressSequentially('000');
    result = await tokenize(page);
    expect(result.error).toMatchObject({ code: 'invalid_cvc', param: 'card[cvc]' });
    await expect(error(page, 'cvc').textContent()).resolves.toBe("Your card's security code is invalid.");

    await input(page, 'cvc').fill('');
    await input(page, 'cvc').pressSequentially('123');
    result = await tokenize(page);
    expect(String(result.token?.id)).toMatch(/^tok_/);
    expect(h.tokenRequests.at(-1)?.body.card).toMatchObject({
      number: '4242424242424242',
      exp_month: 12,
      cvc: '123',
    });
    await page.context().close();
  });

  it('has no axe violations with an error shown', async () => {
    const page = await openShop(h, { oneFrame: true, locale: 'ja-JP' });
    await input(page, 'number').pressSequentially('4242');
    await input(page, 'expiry').focus();
    await expect.poll(() => error(page, 'number').textContent()).toBe('カード番号が不完全です。');
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    const frameNodes = results.passes.flatMap((p) => p.nodes).filter((n) => n.target.length > 1);
    expect(frameNodes.length).toBeGreaterThan(0);
    await page.context().close();
  });
});
