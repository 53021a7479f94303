import { CustomerTraits } from '../support/customer-factory';
import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 3 * 24 * 3600 * 1000);
const phoneOf = (i: number) => `+57300${String(1_000_000 + i).slice(1)}`;

/** A directory of `n` customers with every combination of consent, devices and phone, all using the mobile app. */
function directory(n: number, prefix: string): CustomerTraits[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${String(i).padStart(5, '0')}`,
    phone: i % 11 === 0 ? null : phoneOf(i),
    consent: { push: i % 7 !== 0, sms: i % 5 !== 0 },
    devices: i % 4 === 0 ? [] : [`${prefix}-tok-${i}`],
    channels: { 'mobile-app': recently() },
  }));
}

/** `n` customers reachable by SMS only, using one channel. */
const smsOnly = (n: number, prefix: string, firstPhone: number, channel: string): CustomerTraits[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${String(i).padStart(3, '0')}`,
    phone: phoneOf(firstPhone + i),
    devices: [],
    channels: { [channel]: recently() },
  }));

/** An SMS moves from sent to delivered when the simulator's status callback arrives; both mean told. */
const told = (state: string) => state === 'sent' || state === 'delivered';
const asTold = <T extends { state: string }>(rows: T[]) =>
  rows.map((r) => ({ ...r, state: told(r.state) ? 'told' : r.state }));

function tokensReceived(stack: TestStack): string[] {
  return stack.sims.fcm
    .received()
    .records.filter((r) => r.status === 200)
    .map((r) => r.token as string);
}
function phonesReceived(stack: TestStack): string[] {
  return stack.sims.twilio
    .received()
    .records.filter((r) => r.status === 201)
    .map((r) => r.to);
}

describe('Dispatch: delivering a notice', () => {
  describe('to a seeded audience', () => {
    let sut: TestStack;
    beforeAll(async () => {
      sut = await startTestStack();
    });
    afterAll(() => sut.close());

    it('tells every reachable recipient exactly once, by push when possible and SMS otherwise', async () => {
      const seeded = await sut.customers.insertMany([
        ...directory(1_200, 'A'),
        {
          id: 'Z-unaffected',
          phone: phoneOf(99_999),
          devices: ['z-tok'],
          channels: { 'bill-payments': recently() },
        },
      ]);
      const { noticeId } = await sut.postEvent(eventBody());
      await sut.waitForNotice(noticeId, 'done');

      const affected = seeded.filter((c) => c.id.startsWith('A'));
      const byPush = affected.filter((c) => c.consentPush && c.devices.length);
      const bySms = affected.filter((c) => !(c.consentPush && c.devices.length) && c.consentSms && c.phone);
      const rows = await sut.deliveries(noticeId);
      expect(rows.filter((r) => r.medium === 'push' && told(r.state)).map((r) => r.customer_id)).toEqual(
        byPush.map((c) => c.id),
      );
      expect(rows.filter((r) => r.medium === 'sms' && told(r.state)).map((r) => r.customer_id)).toEqual(
        bySms.map((c) => c.id),
      );
      expect(rows).toHaveLength(byPush.length + bySms.length);
      expect(tokensReceived(sut).sort()).toEqual(byPush.flatMap((c) => c.devices).sort());
      expect(phonesReceived(sut).sort()).toEqual(bySms.map((c) => c.phone).sort());

      const notice = await sut.http
        .get(`/v1/notices/${noticeId}`)
        .set('Authorization', sut.admin)
        .expect(200);
      expect(notice.body).toMatchObject({ state: 'done', audience: { total: rows.length } });
      expect(notice.body.counts.push.sent).toBe(byPush.length);
      expect(notice.body.counts.sms.sent + notice.body.counts.sms.delivered).toBe(bySms.length);
      expect(notice.body.throughput).toMatchObject({ sent: rows.length, perSecond: expect.any(Number) });
      expect(Date.parse(notice.body.throughput.lastSentAt)).toBeGreaterThanOrEqual(
        Date.parse(notice.body.throughput.firstSentAt),
      );

      const metrics = await sut.http.get('/metrics').expect(200);
      expect(metrics.text).toContain(`aviso_messages_total{medium="push",outcome="sent"} ${byPush.length}`);
      expect(metrics.text).toMatch(/aviso_queue_jobs\{queue="push",state="waiting"\} 0/);
    });
  });

  describe('when a device token is dead', () => {
    let sut: TestStack;
    beforeAll(async () => {
      sut = await startTestStack({ fcm: { unregisteredTokens: ['dead-1', 'dead-2', 'dead-3'] } });
    });
    afterAll(() => sut.close());

    it('removes the device and falls back to SMS when the customer consented, else records why not', async () => {
      await sut.customers.insertMany([
        { id: 'D1', phone: phoneOf(1), devices: ['dead-1'], channels: { 'mobile-app': recently() } },
        {
          id: 'D2',
          phone: phoneOf(2),
          devices: ['dead-2', 'live-2'],
          channels: { 'mobile-app': recently() },
        },
        {
          id: 'D3',
          phone: phoneOf(3),
          consent: { push: true, sms: false },
          devices: ['dead-3'],
          channels: { 'mobile-app': recently() },
        },
      ]);
      const { noticeId } = await sut.postEvent(eventBody());
      await sut.waitForNotice(noticeId, 'done');

      expect(asTold(await sut.deliveries(noticeId))).toEqual([
        { customer_id: 'D1', medium: 'sms', state: 'told', reason: null },
        { customer_id: 'D2', medium: 'push', state: 'told', reason: null },
        { customer_id: 'D3', medium: 'push', state: 'failed', reason: 'no-live-device-and-no-sms' },
      ]);
      expect(phonesReceived(sut)).toEqual([phoneOf(1)]);
      const devices = await sut.db.selectFrom('devices').select('token').orderBy('token').execute();
      expect(devices.map((d) => d.token)).toEqual(['live-2']);
      const owners = await sut.db
        .selectFrom('customers')
        .select(['id', 'has_device'])
        .orderBy('id')
        .execute();
      expect(owners).toEqual([
        { id: 'D1', has_device: false },
        { id: 'D2', has_device: true },
        { id: 'D3', has_device: false },
      ]);
    });
  });

  describe('when a provider refuses or fails', () => {
    let sut: TestStack;
    beforeAll(async () => {
      sut = await startTestStack({
        env: { SEND_BACKOFF_MS: '200' },
        twilio: { invalidNumbers: [phoneOf(1)], unsubscribedNumbers: [phoneOf(2)] },
      });
    });
    afterAll(() => sut.close());

    it('records permanent refusals once with their code, revokes consent on STOP, and retries only transient failures', async () => {
      const ids = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
      await sut.customers.insertMany(
        ids.map((id, i) => ({
          id,
          phone: phoneOf(i + 1),
          devices: [],
          channels: { 'mobile-app': recently() },
        })),
      );
      sut.sims.twilio.configure({ failNext: 2, failNextAs: 'error', errorStatus: 503 });
      const { noticeId } = await sut.postEvent(eventBody({ media: ['sms'] }));
      await sut.waitForNotice(noticeId, 'done');

      const rows = await sut.db
        .selectFrom('deliveries')
        .select(['customer_id', 'state', 'reason', 'provider_code', 'attempts'])
        .where('notice_id', '=', noticeId)
        .orderBy('customer_id')
        .execute();
      const byId = Object.fromEntries(rows.map((r) => [r.customer_id, r]));
      expect(byId.S1).toMatchObject({ state: 'failed', reason: 'permanent', provider_code: '21211' });
      expect(byId.S2).toMatchObject({ state: 'failed', reason: 'unsubscribed', provider_code: '21610' });
      for (const id of ['S3', 'S4', 'S5', 'S6']) expect(told(byId[id].state)).toBe(true);
      // Two sends hit the 503s and were retried; nobody the provider took or refused for good was sent twice.
      const received = sut.sims.twilio.received().records;
      const answered = (phone: string) => received.filter((r) => r.to === phone && r.status !== 503);
      expect(received.filter((r) => r.status === 503)).toHaveLength(2);
      expect(answered(phoneOf(1)).map((r) => r.status)).toEqual([400]);
      expect(answered(phoneOf(2)).map((r) => r.status)).toEqual([400]);
      for (const i of [3, 4, 5, 6]) expect(answered(phoneOf(i)).map((r) => r.status)).toEqual([201]);
      expect(rows.filter((r) => r.attempts === 2)).toHaveLength(2);
      const view = await sut.http.get(`/v1/notices/${noticeId}`).set('Authorization', sut.admin).expect(200);
      expect(view.body.reasons).toEqual({ failed: { permanent: 1, unsubscribed: 1 }, skipped: {} });
      const segments = await sut.db
        .selectFrom('deliveries')
        .select('segments')
        .where('notice_id', '=', noticeId)
        .where('customer_id', '=', 'S3')
        .executeTakeFirstOrThrow();
      expect(segments.segments).toBe(1);
      const consent = await sut.db
        .selectFrom('customers')
        .select(['id', 'consent_sms'])
        .where('id', '=', 'S2')
        .execute();
      expect(consent).toEqual([{ id: 'S2', consent_sms: false }]);
    });

    it('retries a push batch FCM failed with a 5xx and ends sent after the second attempt', async () => {
      sut.sims.fcm.reset();
      // 500, not 503: firebase-admin retries a 503 itself, so only a 500 reaches Aviso's own retry.
      sut.sims.fcm.configure({ failNext: 1, failNextAs: 'error', errorStatus: 500 });
      await sut.customers.newCustomer({
        id: 'P1',
        devices: ['tok-fcm-retry'],
        channels: { 'qr-payments': recently() },
      });
      const { noticeId } = await sut.postEvent(
        eventBody({ media: ['push'], channels: [{ id: 'qr-payments', status: 'down' }] }),
      );
      await sut.waitForNotice(noticeId, 'done');

      const [row] = await sut.db
        .selectFrom('deliveries')
        .select(['customer_id', 'medium', 'state', 'reason', 'attempts'])
        .where('notice_id', '=', noticeId)
        .execute();
      expect(row).toEqual({ customer_id: 'P1', medium: 'push', state: 'sent', reason: null, attempts: 2 });
      const received = sut.sims.fcm.received().records.filter((r) => r.token === 'tok-fcm-retry');
      expect(received.map((r) => r.status)).toEqual([500, 200]);
    });

    it('pauses on a 429 for its Retry-After instead of failing, then sends', async () => {
      sut.sims.twilio.reset();
      sut.sims.twilio.configure({ failNext: 1, failNextAs: 'rate-limit', retryAfterSeconds: 1 });
      await sut.customers.newCustomer({
        id: 'R1',
        phone: phoneOf(50),
        devices: [],
        channels: { 'call-center': recently() },
      });
      const started = Date.now();
      const { noticeId } = await sut.postEvent(
        eventBody({ media: ['sms'], channels: [{ id: 'call-center', status: 'down' }] }),
      );
      await sut.waitForNotice(noticeId, 'done');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(asTold(await sut.deliveries(noticeId))).toEqual([
        { customer_id: 'R1', medium: 'sms', state: 'told', reason: null },
      ]);
      const statuses = sut.sims.twilio.received().records.map((r) => r.status);
      expect(statuses).toEqual([429, 201]);
    });
  });

  describe('under a low SMS rate', () => {
    let sut: TestStack;
    beforeAll(async () => {
      sut = await startTestStack({ env: { SMS_RATE_PER_SEC: '25' } });
    });
    afterAll(() => sut.close());

    it('spreads the sends over time at SMS_RATE_PER_SEC, whatever the batch size', async () => {
      await sut.customers.insertMany(smsOnly(150, 'L', 2_000, 'mobile-app'));
      const { noticeId } = await sut.postEvent(eventBody({ media: ['sms'] }));
      await sut.waitForNotice(noticeId, 'done');

      // 150 SMS at 25 per second go out in three reservations of two seconds each: the last starts four seconds
      // after the first (less the first chunk's own latency). A sender that skips the shared limiter sends them at once.
      const received = sut.sims.twilio.received().records.filter((r) => r.status === 201);
      expect(received).toHaveLength(150);
      const times = received.map((r) => r.at);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(3_500);
    });

    it('records each chunk of an SMS batch as it goes, not when the whole batch is out', async () => {
      await sut.customers.insertMany(smsOnly(150, 'K', 3_000, 'bill-payments'));
      const { noticeId } = await sut.postEvent(
        eventBody({ media: ['sms'], channels: [{ id: 'bill-payments', status: 'down' }] }),
      );
      // 150 SMS in one batch at 25 per second take four seconds; a batch recorded only at its end shows no one
      // told until then, and a carrier report arriving meanwhile would have to wait for it.
      const toldWhileSending = new Set<number>();
      for (
        let notice = await sut.notice(noticeId);
        notice.state !== 'done';
        notice = await sut.notice(noticeId)
      ) {
        const rows = await sut.deliveries(noticeId);
        if (rows.some((r) => r.state === 'pending'))
          toldWhileSending.add(rows.filter((r) => told(r.state)).length);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect([...toldWhileSending].some((n) => n >= 50 && n < 150)).toBe(true);
      expect((await sut.deliveries(noticeId)).filter((r) => told(r.state))).toHaveLength(150);
    });
  });
});
