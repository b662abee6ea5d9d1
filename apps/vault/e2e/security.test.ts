import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInBrowser,
  events,
  fieldFrame,
  fillRest,
  type Harness,
  openShop,
  PUBLISHABLE_KEY,
  received,
  startHarness,
  tokenize,
} from './harness.js';

const PAN = '4242424242424242';

/** Adds an iframe to the page and returns its Frame once loaded. */
async function addFrame(page: Page, src: string): Promise<Frame> {
  const name = `f${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ({ src, name }) =>
      new Promise<void>((resolve) => {
        const iframe = document.createElement('iframe');
        iframe.name = name;
        iframe.src = src;
        iframe.onload = () => resolve();
        document.body.append(iframe);
      }),
    { src, name },
  );
  const frame = page.frame({ name });
  if (!frame) throw new Error(`frame ${src} did not load`);
  return frame;
}

/** In `frame`, posts a forged `payin:connect` to the shop's first iframe and records any answer. */
const forgeConnect = (frame: Frame, session: string) =>
  frame.evaluate((session) => {
    const channel = new MessageChannel();
    const heard: unknown[] = [];
    (window as unknown as { heard: unknown[] }).heard = heard;
    channel.port1.onmessage = (e) => heard.push(e.data);
    const message = { type: 'payin:connect', session, fields: ['number'] };
    window.parent.frames[0]?.postMessage(message, '*', [channel.port2]);
  }, session);

const heardBy = (frame: Frame) => frame.evaluate(() => (window as unknown as { heard: unknown[] }).heard);

describeInBrowser('hosted card fields: what crosses origins', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const frameUrl = (origin: string, session = 'a'.repeat(32)) =>
    `${h.vaultUrl}/fields/v1/frame?${new URLSearchParams({ fields: 'number', key: PUBLISHABLE_KEY, origin, session, locale: 'en-US' })}`;

  it('tokenizes inside the vault origin and the merchant page never receives the card number', async () => {
    const page = await openShop(h, { holderName: true });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const tokenCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/v1/tokens')) tokenCalls.push(r.frame().url());
    });
    await fieldFrame(page, 'number').locator('input').pressSequentially(PAN);
    const yy = await fillRest(page, '123', 'Ada Lovelace');

    // Before tokenization: states only, not a digit of the card, not even its last four.
    const withoutSessions = (messages: string[]) => messages.map((m) => m.replace(/"session":"\w+"/g, ''));
    const before = withoutSessions(await received(page));
    expect(before.length).toBeGreaterThan(10);
    for (const message of before) {
      expect(message).not.toMatch(/\d{3,}/);
      expect(message).not.toMatch(/Ada|Lovelace|12 \//);
    }
    const log = JSON.stringify(await events(page));
    expect(log).not.toMatch(/\d{3,}|Ada/);

    const result = await tokenize(page);
    expect(result.token).toMatchObject({
      object: 'token',
      card: { brand: 'visa', last4: '4242', exp_month: 12, cvc_provided: true },
    });
    for (const message of withoutSessions(await received(page))) {
      expect(message).not.toContain(PAN);
      expect(message).not.toContain('4242 4242');
      expect(message).not.toMatch(/"cvc":|Ada/);
    }

    const request = h.tokenRequests.at(-1);
    expect(request?.origin).toBe(h.vaultUrl);
    expect(request?.fetchSite).toBe('same-origin');
    expect(request?.authorization).toBe(`Bearer ${PUBLISHABLE_KEY}`);
    expect(request?.body).toEqual({
      card: {
        number: PAN,
        exp_month: 12,
        exp_year: 2000 + Number(yy),
        cvc: '123',
        holder_name: 'Ada Lovelace',
      },
      parent_origin: h.shopOrigin,
    });
    expect(tokenCalls).toHaveLength(1);
    expect(new URL(tokenCalls[0] as string).origin).toBe(h.vaultUrl);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('refuses a frame for a page origin the merchant did not register, and sends frame-ancestors', async () => {
    const refused = await fetch(frameUrl(h.strangerOrigin));
    expect(refused.status).toBe(403);
    const body = await refused.text();
    expect(body).not.toContain('<script');
    expect(refused.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const served = await fetch(frameUrl(h.shopOrigin));
    expect(served.status).toBe(200);
    const csp = served.headers.get('content-security-policy') ?? '';
    expect(csp.split('; ')).toContain(`frame-ancestors ${h.shopOrigin}`);
  });

  it('mounts nothing on a page whose origin is not registered', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(h.strangerOrigin);
    await page.addScriptTag({ url: `${h.vaultUrl}/fields/v1/payin-fields.js` });
    await page.evaluate(
      ({ vaultUrl, key }) => {
        document.body.innerHTML = '<div id="n"></div><div id="e"></div>';
        const w = window as unknown as {
          PayinFields: { mount(o: unknown): { on(n: string, f: () => void): void } };
        };
        const fields = w.PayinFields.mount({
          vaultUrl,
          publishableKey: key,
          fields: { number: '#n', expiry: '#e' },
        });
        (window as unknown as { readyCount: number }).readyCount = 0;
        fields.on('ready', () => {
          (window as unknown as { readyCount: number }).readyCount++;
        });
      },
      { vaultUrl: h.vaultUrl, key: PUBLISHABLE_KEY },
    );
    await page.waitForTimeout(800);
    await expect(page.evaluate(() => (window as unknown as { readyCount: number }).readyCount)).resolves.toBe(
      0,
    );
    await expect(fieldFrame(page, 'number').locator('input').count()).resolves.toBe(0);
    await context.close();
  });

  it('cannot be framed by another site claiming a registered origin', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('frame-ancestors')) blocked.push(m.text());
    });
    await page.goto(h.strangerOrigin);
    await page.evaluate((src) => {
      const iframe = document.createElement('iframe');
      iframe.src = src;
      document.body.append(iframe);
    }, frameUrl(h.shopOrigin));
    await page.waitForTimeout(800);
    expect(blocked.length).toBeGreaterThan(0);
    await expect(page.frameLocator('iframe').locator('input').count()).resolves.toBe(0);
    await context.close();
  });

  it('ignores a connect message from another origin or another window, and accepts its parent', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(h.shopOrigin);
    const session = 'b'.repeat(32);
    // The shop page plays the parent by hand: it records the hello, connects only when told.
    await page.evaluate(() => {
      const w = window as unknown as { hellos: unknown[] };
      w.hellos = [];
      window.addEventListener('message', (e) => w.hellos.push({ origin: e.origin, data: e.data }));
    });
    await addFrame(page, frameUrl(h.shopOrigin, session));
    await page.waitForFunction(() => (window as unknown as { hellos: unknown[] }).hellos.length > 0);
    const hellos = await page.evaluate(() => (window as unknown as { hellos: unknown[] }).hellos);
    expect(hellos).toEqual([
      { origin: h.vaultUrl, data: { type: 'payin:hello', session, fields: ['number'] } },
    ]);

    const stranger = await addFrame(page, h.strangerOrigin);
    const sameOriginOtherWindow = await addFrame(page, 'about:blank');
    await forgeConnect(stranger, session);
    await forgeConnect(sameOriginOtherWindow, session);
    await page.waitForTimeout(500);
    await expect(heardBy(stranger)).resolves.toEqual([]);
    await expect(heardBy(sameOriginOtherWindow)).resolves.toEqual([]);

    const answer = await page.evaluate(
      ({ session, vaultOrigin }) =>
        new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (e) => resolve(e.data);
          const message = { type: 'payin:connect', session, fields: ['number'] };
          window.frames[0]?.postMessage(message, vaultOrigin, [channel.port2]);
        }),
      { session, vaultOrigin: h.vaultUrl },
    );
    expect(answer).toEqual({ type: 'ready' });
    await context.close();
  });

  it('ignores a hello from a window that is not one of its iframes', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    // The CVC frame never loads, so the page keeps waiting for its hello.
    await page.route('**/fields/v1/frame?fields=cvc*', (route) => route.abort());
    await page.goto(h.shopOrigin);
    await page.evaluate(
      ({ vaultUrl, key }) => {
        const w = window as unknown as { PayinFields: { mount(o: unknown): unknown }; fields: unknown };
        w.fields = w.PayinFields.mount({
          vaultUrl,
          publishableKey: key,
          fields: { number: '#number', expiry: '#expiry', cvc: '#cvc' },
        });
      },
      { vaultUrl: h.vaultUrl, key: PUBLISHABLE_KEY },
    );
    const session = new URL(
      (await page.locator('iframe').first().getAttribute('src')) ?? '',
    ).searchParams.get('session');
    // One forger on another origin, one on the vault's own origin but not the CVC iframe.
    const forgers = [
      await addFrame(page, h.strangerOrigin),
      await addFrame(page, `${h.vaultUrl}/fields/v1/manifest.json`),
    ];
    for (const forger of forgers) {
      await forger.evaluate((session) => {
        const heard: unknown[] = [];
        (window as unknown as { heard: unknown[] }).heard = heard;
        window.addEventListener('message', (e) => heard.push(e.data));
        window.parent.postMessage({ type: 'payin:hello', session, fields: ['cvc'] }, '*');
      }, session);
    }
    await page.waitForTimeout(500);
    for (const forger of forgers) await expect(heardBy(forger)).resolves.toEqual([]);
    await expect(tokenize(page)).resolves.toMatchObject({ error: { code: 'fields_not_ready' } });
    await context.close();
  });
});
