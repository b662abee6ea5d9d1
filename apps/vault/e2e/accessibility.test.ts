import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, events, fieldFrame, type Harness, openShop, startHarness } from './harness.js';

/** Where the keyboard focus is: a field of the mount (by its focus event) or an element of the shop. */
async function focused(page: Page, focusEventsBefore: number): Promise<string> {
  const shop = await page.evaluate(() =>
    document.activeElement?.tagName === 'IFRAME' ? null : document.activeElement?.id,
  );
  if (shop) return shop;
  const focus = (await events(page)).filter((e) => e.name === 'focus');
  return focus.length > focusEventsBefore ? String(focus.at(-1)?.field) : 'nowhere';
}

describeInBrowser('hosted card fields: keyboard and screen readers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('moves through the frames in order with Tab and back with Shift-Tab', async () => {
    const page = await openShop(h, { holderName: true });
    await page.focus('#before');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const seen = (await events(page)).filter((e) => e.name === 'focus').length;
      await page.keyboard.press('Tab');
      await page.waitForTimeout(50);
      order.push(await focused(page, seen));
    }
    expect(order).toEqual(['number', 'expiry', 'cvc', 'holderName', 'after']);
    const back: string[] = [];
    for (let i = 0; i < 5; i++) {
      const seen = (await events(page)).filter((e) => e.name === 'focus').length;
      await page.keyboard.press('Shift+Tab');
      await page.waitForTimeout(50);
      back.push(await focused(page, seen));
    }
    expect(back).toEqual(['holderName', 'cvc', 'expiry', 'number', 'before']);
    await page.context().close();
  });

  it('has no axe violations, with errors shown and a network choice offered', async () => {
    const page = await openShop(h, { holderName: true, locale: 'es-ES' });
    await fieldFrame(page, 'number').locator('input').pressSequentially('4000002500001001');
    await fieldFrame(page, 'expiry').locator('input').pressSequentially('01');
    await fieldFrame(page, 'cvc').locator('input').pressSequentially('1');
    await fieldFrame(page, 'holder_name').locator('input').focus();
    await expect(fieldFrame(page, 'cvc').locator('#error-cvc').textContent()).resolves.toBe(
      'El código de seguridad está incompleto.',
    );
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    // The frames were analysed, not only the shop around them.
    const frameNodes = results.passes.flatMap((p) => p.nodes).filter((n) => n.target.length > 1);
    expect(frameNodes.length).toBeGreaterThan(0);
    await page.context().close();
  });

  it('keeps labels for screen readers when the shop hides them, and uses its labels', async () => {
    const page = await openShop(h, { hideLabels: true, labels: { number: 'Numéro de CB' } });
    const frame = fieldFrame(page, 'number');
    await expect(frame.getByLabel('Numéro de CB').count()).resolves.toBe(1);
    await expect(frame.locator('label').getAttribute('class')).resolves.toBe('sr');
    await expect(page.locator('iframe').first().getAttribute('title')).resolves.toBe('Numéro de CB');
    await expect(
      page
        .locator('iframe')
        .first()
        .evaluate((f: HTMLIFrameElement) => f.style.height),
    ).resolves.toBe('66px');
    await page.context().close();
  });

  it('applies the appearance as CSS custom properties', async () => {
    const page = await openShop(h, {
      appearance: { colorText: 'rgb(10, 20, 30)', borderRadius: '0px', fontFamily: 'url(x)' },
    });
    const input = fieldFrame(page, 'number').locator('input');
    await expect(input.evaluate((el) => getComputedStyle(el).color)).resolves.toBe('rgb(10, 20, 30)');
    const row = fieldFrame(page, 'number').locator('.row');
    await expect(row.evaluate((el) => getComputedStyle(el).borderRadius)).resolves.toBe('0px');
    const root = fieldFrame(page, 'number').locator('html');
    await expect(root.evaluate((el) => el.style.getPropertyValue('--payin-font-family'))).resolves.toBe('');
    await page.context().close();
  });
});
