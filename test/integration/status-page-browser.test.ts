/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

/** A common phone's CSS viewport. */
const PHONE = { width: 390, height: 844 };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
/** UPDATE_SCREENSHOTS=1 writes them to docs/screenshots; otherwise they go to a folder deleted afterwards. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(__dirname, '../../docs/screenshots')
  : mkdtempSync(join(tmpdir(), 'aviso-screens-'));

describe('Public status page in Chromium', () => {
  let sut: TestApi;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    // An event is public once the planner released its notice.
    await sut.startWorker();
    await sut.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    const writer = await sut.bearer('events:write');
    const post = (body: object) =>
      sut.http.post('/v1/events').set('Authorization', writer).send(body).expect(202);
    await post(
      eventBody({
        incidentRef: 'INC-2291',
        channels: [
          { id: 'mobile-app', status: 'down' },
          { id: 'interbank-transfers', status: 'degraded' },
        ],
        message: {
          'es-CO': 'Nuestra app no abre y las transferencias a otros bancos tardan.',
          en: 'Our app does not open and transfers to other banks are slow.',
        },
        advice: {
          'es-CO': 'Mientras tanto, usa la banca en línea o los cajeros.',
          en: 'Meanwhile, use online banking or ATMs.',
        },
        assurances: ['funds-safe'],
        occurredAt: minutesAgo(50),
      }),
    );
    await post(
      eventBody({
        incidentRef: 'INC-2291',
        type: 'updated',
        channels: [{ id: 'mobile-app', status: 'restored' }],
        nextUpdateAt: new Date(Date.now() + 90 * 60_000).toISOString(),
        message: {
          'es-CO': 'La app volvió a funcionar. Las transferencias a otros bancos siguen lentas.',
          en: 'The app works again. Transfers to other banks are still slow.',
        },
        occurredAt: minutesAgo(20),
      }),
    );
    await post(
      eventBody({
        incidentRef: 'INC-2287',
        channels: [{ id: 'card-payments', status: 'down' }],
        message: { 'es-CO': 'Los pagos con tarjeta fallaron.', en: 'Card payments failed.' },
        occurredAt: minutesAgo(60 * 30),
      }),
    );
    await post(
      eventBody({
        incidentRef: 'INC-2287',
        type: 'resolved',
        channels: [{ id: 'card-payments', status: 'restored' }],
        message: { 'es-CO': 'Los pagos con tarjeta funcionan de nuevo.', en: 'Card payments work again.' },
        occurredAt: minutesAgo(60 * 28),
      }),
    );
    await sut.statusSettled();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sut?.close();
    if (!process.env.UPDATE_SCREENSHOTS) rmSync(SCREENSHOTS, { recursive: true, force: true });
  });

  it.each([
    ['es-CO', '/status', 'Estado de nuestros servicios', 'Transferencias interbancarias'],
    ['en', '/status/en/', 'Status of our services', 'Interbank transfers'],
  ])('%s: reads on a phone without JavaScript and passes axe', async (locale, path, title, channel) => {
    const plain = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale });
    try {
      const page = await plain.newPage();
      const response = await page.goto(origin + path);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(title);
      expect(await page.getByText(channel).isVisible()).toBe(true);
      expect(await page.locator('script').count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, `status-${locale}-phone.png`), fullPage: true });
    } finally {
      await plain.close();
    }

    // axe runs as a script in the page, so this look has JavaScript on.
    const checked = await browser.newContext({ viewport: PHONE, locale });
    try {
      const page = await checked.newPage();
      await page.goto(origin + path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      expect(fontSize).toBeGreaterThanOrEqual(16);
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .analyze();
      expect(
        results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
    } finally {
      await checked.close();
    }
  });
});
