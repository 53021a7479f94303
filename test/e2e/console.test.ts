import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { People } from '../../src/people/people.service';
import { launchChromium } from '../support/browser';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);
/** Generous: two Chromiums, the API and a worker share a loaded 2-core machine with other suites. */
const STEP_MS = 90_000;
jest.setTimeout(10 * STEP_MS);

/**
 * Screens are always captured, so a page that cannot render fails here; with CONSOLE_SCREENSHOTS=1 they replace
 * the ones in docs/screenshots that the README shows.
 */
const SHOTS = process.env.CONSOLE_SCREENSHOTS
  ? join(__dirname, '../../docs/screenshots')
  : mkdtempSync(join(tmpdir(), 'aviso-shots-'));

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('The console in a real browser', () => {
  let sut: TestStack;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    sut = await startTestStack({ env: { APPROVAL_THRESHOLD: '3' } });
    const address = sut.app.getHttpServer().address() as { port: number };
    origin = `http://127.0.0.1:${address.port}`;
    await sut.customers.insertMany([
      ...['B1', 'B2', 'B3', 'B4'].map((id) => ({
        id,
        devices: [`tok-${id}`],
        channels: { 'mobile-app': recently() },
      })),
      { id: 'B5', phone: '+573001110005', devices: 0, channels: { 'mobile-app': recently() } },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await sut.close();
  });

  /** A person's own browser: creates the account, signs in with the one-time password and chooses one. */
  async function personSignsIn(email: string, role: 'author' | 'approver', shots = false): Promise<Page> {
    const { oneTimePassword } = await sut.app.get(People).create(email, role, 'test');
    // A context of its own per person: their own cookies, as in their own browser.
    browser ??= await launchChromium();
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(STEP_MS);
    // The bank's incident managers work in Spanish; the browser would otherwise ask for English.
    await page.goto(`${origin}/console/language?lang=es-CO`);
    await page.goto(`${origin}/console`);
    await page.waitForURL(/\/console\/sign-in$/);
    await page.fill('#email', email);
    await page.fill('#password', oneTimePassword);
    if (shots) await shoot(page, 'sign-in');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console\/password$/);
    await page.fill('#password', `${email} chosen password`);
    await page.fill('#confirmation', `${email} chosen password`);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/console\/incidents$/);
    return page;
  }

  it('an author opens an incident above the threshold, a second person approves, the author watches it reach 100%', async () => {
    // The author can approve notices in general, so refusing their own is the four-eyes rule, not a missing role.
    const author = await personSignsIn('ana.torres@bank.test', 'approver', true);

    await author.click('a[href="/console/events/new"]');
    await author.fill('#incidentRef', 'INC-2026-1203');
    await author.selectOption('#type', 'opened');
    await author.selectOption('#severity', 'major');
    await author.selectOption('[id="channel.mobile-app"]', 'down');
    await author.fill(
      '[id="message.es-CO"]',
      'Nuestra app presenta fallas. Tu dinero está seguro; usa la banca en línea.',
    );
    await author.fill(
      '[id="message.en"]',
      'Our app is failing. Your money is safe; please use online banking.',
    );
    await author.waitForSelector('[data-testid=needs-approval]');
    await author.waitForLoadState('networkidle');
    // Each locale reads its own message, as the senders will render it.
    expect(await author.textContent('.text-preview[data-locale=en]')).toMatch(/Our app is failing/);
    expect(await author.textContent('.text-preview[data-locale="es-CO"]')).toMatch(
      /Nuestra app presenta fallas/,
    );
    expect(await author.textContent('[data-testid=audience-total]')).toBe('5');
    expect(await author.locator('.text-preview[data-locale="es-CO"] .segments').textContent()).toMatch(/SMS/);
    await shoot(author, 'new-event-preview');

    await author.click('#event-form button[type=submit]');
    await author.waitForURL(/\/console\/notices\/[0-9a-f-]{36}$/);
    const noticeUrl = author.url();
    const noticeId = noticeUrl.split('/').pop() as string;
    await sut.waitForNotice(noticeId, 'awaiting-approval', STEP_MS);
    expect(sut.sims.fcm.received().records).toEqual([]);

    await author.goto(`${origin}/console/approvals`);
    const ownApprove = author.locator(`[data-notice="${noticeId}"] [data-testid=approve]`);
    expect(await ownApprove.isDisabled()).toBe(true);
    // Past the disabled button, straight to the server with the page's own CSRF token: still refused.
    const forced = await author.evaluate(async (id) => {
      const csrf = document.querySelector('meta[name=csrf-token]')?.getAttribute('content') ?? '';
      const res = await fetch(`/console/notices/${id}/approve`, {
        method: 'POST',
        headers: { 'X-CSRF-Token': csrf },
      });
      return { status: res.status, text: await res.text() };
    }, noticeId);
    expect(forced.status).toBe(403);
    expect(forced.text).toMatch(/second person/);
    expect((await sut.notice(noticeId)).state).toBe('awaiting-approval');

    // The author keeps the notice open; its progress arrives over server-sent events.
    await author.goto(noticeUrl);
    expect(await author.textContent('[data-testid=notice-state]')).toMatch(/esperando aprobación/);
    await shoot(author, 'notice-awaiting-approval');

    const approver = await personSignsIn('luis.gomez@bank.test', 'approver');
    await approver.click('a[href="/console/approvals"]');
    const card = approver.locator(`[data-notice="${noticeId}"]`);
    expect(await card.textContent()).toMatch(/ana\.torres@bank\.test/);
    expect(await card.textContent()).toMatch(/Nuestra app presenta fallas/);
    await shoot(approver, 'approvals');
    await card.locator('[data-testid=approve]').click();
    await approver.waitForSelector('text=Aprobado: enviando.');

    await author.waitForFunction(
      () => document.querySelector('[data-testid=percent]')?.textContent === '100%',
      undefined,
    );
    await author.waitForSelector('[data-testid=notice-state]:has-text("terminado")');
    await shoot(author, 'notice-progress');
    expect(
      sut.sims.fcm
        .received()
        .records.map((r) => r.token)
        .sort(),
    ).toEqual(['tok-B1', 'tok-B2', 'tok-B3', 'tok-B4']);
    expect(sut.sims.twilio.received().records).toHaveLength(1);

    await author.click('h1 a');
    await author.waitForSelector('.timeline li');
    await shoot(author, 'incident-timeline');
    await author.click('a[href="/console/incidents"]');
    await author.waitForSelector('table');
    await shoot(author, 'incidents');
    await author.goto(`${origin}/console/language?lang=en`);
    await author.waitForSelector('html[lang=en]');
    await shoot(author, 'incidents-en');
  });
});
