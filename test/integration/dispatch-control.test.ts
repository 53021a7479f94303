import { createHmac } from 'node:crypto';
import { QueueName } from '../../src/queues/jobs';
import { eventBody } from '../support/event-factory';
import { waitForDrained, withQueuePaused } from '../support/queue-control';
import { PUBLIC_BASE_URL, startTestStack, TestStack } from '../support/test-stack';
import { until } from '../support/until';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);
const pushTo = (stack: TestStack) => stack.sims.fcm.received().records.map((r) => r.token);

describe('Dispatch: controlling notices', () => {
  describe('without cooldown', () => {
    let sut: TestStack;
    beforeAll(async () => {
      sut = await startTestStack();
    });
    afterAll(() => sut.close());
    beforeEach(() => {
      sut.sims.fcm.reset();
      sut.sims.twilio.reset();
    });

    it('supersedes the unsent part of an older notice: each customer hears only the newer one', async () => {
      await sut.customers.insertMany(
        ['P1', 'P2', 'P3'].map((id) => ({
          id,
          devices: [`tok-${id}`],
          channels: { 'qr-payments': recently() },
        })),
      );
      const incidentRef = 'INC-SUPERSEDE';
      const channels = [{ id: 'qr-payments', status: 'down' as const }];
      const [first, second] = await withQueuePaused(sut.config, QueueName.Push, async () => {
        const older = await sut.postEvent(
          eventBody({ incidentRef, channels, occurredAt: '2026-11-25T10:00:00Z' }),
        );
        await sut.waitForNotice(older.noticeId, 'sending');
        const newer = await sut.postEvent(
          eventBody({ incidentRef, type: 'updated', channels, occurredAt: '2026-11-25T10:05:00Z' }),
        );
        await sut.waitForNotice(newer.noticeId, 'sending');
        return [older, newer];
      });
      await sut.waitForNotice(second.noticeId, 'done');
      await sut.waitForNotice(first.noticeId, 'done');

      const older = await sut.deliveries(first.noticeId);
      expect(older.map((d) => [d.customer_id, d.state, d.reason])).toEqual([
        ['P1', 'skipped', 'superseded'],
        ['P2', 'skipped', 'superseded'],
        ['P3', 'skipped', 'superseded'],
      ]);
      expect((await sut.deliveries(second.noticeId)).map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
      expect(pushTo(sut).sort()).toEqual(['tok-P1', 'tok-P2', 'tok-P3']);
      const message = sut.sims.fcm.received().records[0].message as { android: { collapse_key: string } };
      expect(message.android.collapse_key).toBe((await sut.notice(second.noticeId)).incident_id);
    });

    it('cancels a notice within seconds: nothing more is sent, what was pending is skipped', async () => {
      await sut.customers.insertMany(
        ['X1', 'X2'].map((id) => ({ id, devices: [`tok-${id}`], channels: { 'atm-network': recently() } })),
      );
      const { noticeId } = await withQueuePaused(sut.config, QueueName.Push, async () => {
        const accepted = await sut.postEvent(
          eventBody({ channels: [{ id: 'atm-network', status: 'down' }] }),
        );
        await sut.waitForNotice(accepted.noticeId, 'sending');
        const res = await sut.http
          .post(`/v1/notices/${accepted.noticeId}/cancel`)
          .set('Authorization', sut.admin)
          .expect(200);
        expect(res.body).toEqual({ id: accepted.noticeId, state: 'cancelled', skipped: 2 });
        return accepted;
      });
      const again = await sut.http
        .post(`/v1/notices/${noticeId}/cancel`)
        .set('Authorization', sut.admin)
        .expect(409);
      expect(again.body.detail).toMatch(/cancelled/);
      expect((await sut.deliveries(noticeId)).map((d) => d.reason)).toEqual(['cancelled', 'cancelled']);
      const view = await sut.http.get(`/v1/notices/${noticeId}`).set('Authorization', sut.admin).expect(200);
      expect(view.body.state).toBe('cancelled');
      expect(view.body.counts.push.skipped).toBe(2);
      // The batch job queued before the cancel runs after the resume and must find nothing to send.
      await waitForDrained(sut.config, QueueName.Push);
      expect(pushTo(sut)).toEqual([]);
      const audit = await sut.db
        .selectFrom('audit_log')
        .select('action')
        .where('target', '=', noticeId)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['notice.cancel']);
    });

    it('re-runs a planning job without enqueueing or writing anything twice', async () => {
      await sut.customers.insertMany(
        Array.from({ length: 700 }, (_, i) => ({
          id: `Q${String(i).padStart(4, '0')}`,
          devices: [`tok-Q${i}`],
          channels: { 'card-payments': recently() },
        })),
      );
      const { noticeId } = await sut.postEvent(
        eventBody({ channels: [{ id: 'card-payments', status: 'down' }] }),
      );
      await sut.waitForNotice(noticeId, 'done');
      const before = await sut.deliveries(noticeId);
      // As if the planner had died after its last page: the notice is planning again, its cursor at the start.
      await sut.db
        .updateTable('notices')
        .set({ state: 'planning', plan_cursor: null })
        .where('id', '=', noticeId)
        .execute();
      // The worker's recovery sweep finds it planning and queues its planning job again. A re-run that fails (a
      // second insert of a row) leaves the notice planning: wait well within the test's time, then say so.
      const rerun = await sut.waitForNotice(noticeId, 'done', 20_000).catch(() => sut.notice(noticeId));
      expect({ state: rerun.state, deliveries: (await sut.deliveries(noticeId)).length }).toEqual({
        state: 'done',
        deliveries: 700,
      });
      expect(await sut.deliveries(noticeId)).toEqual(before);
      expect(before).toHaveLength(700);
      expect(new Set(pushTo(sut)).size).toBe(700);
      expect(pushTo(sut)).toHaveLength(700);
    });
  });

  describe('with a cooldown', () => {
    let sut: TestStack;
    beforeAll(async () => {
      sut = await startTestStack({ env: { NOTICE_COOLDOWN: '600' } });
    });
    afterAll(() => sut.close());

    it('does not tell a customer about the same incident twice within the cooldown, except that it is resolved', async () => {
      await sut.customers.newCustomer({
        id: 'K1',
        devices: ['tok-K1'],
        channels: { 'bill-payments': recently() },
      });
      const base = { incidentRef: 'INC-COOL', channels: [{ id: 'bill-payments', status: 'down' as const }] };
      const opened = await sut.postEvent(eventBody({ ...base, occurredAt: '2026-11-25T10:00:00Z' }));
      await sut.waitForNotice(opened.noticeId, 'done');
      const updated = await sut.postEvent(
        eventBody({ ...base, type: 'updated', occurredAt: '2026-11-25T10:10:00Z' }),
      );
      await sut.waitForNotice(updated.noticeId, 'done');
      const resolved = await sut.postEvent(
        eventBody({
          ...base,
          type: 'resolved',
          channels: [{ id: 'bill-payments', status: 'restored' }],
          occurredAt: '2026-11-25T11:00:00Z',
        }),
      );
      await sut.waitForNotice(resolved.noticeId, 'done');

      expect((await sut.deliveries(updated.noticeId)).map((d) => [d.state, d.reason])).toEqual([
        ['skipped', 'cooldown'],
      ]);
      expect((await sut.deliveries(resolved.noticeId)).map((d) => d.state)).toEqual(['sent']);
      expect(pushTo(sut)).toEqual(['tok-K1', 'tok-K1']);
    });
  });

  describe('SMS status callbacks and retries', () => {
    let sut: TestStack;
    const phone = (i: number) => `+5730055500${i}`;
    beforeAll(async () => {
      sut = await startTestStack({
        env: { SEND_ATTEMPTS: '2', SEND_BACKOFF_MS: '100' },
        // Reports at once: most arrive before the worker has recorded the batch's sends, and must still count.
        twilio: {
          callbackDelayMs: 0,
          deliveryFailures: { [phone(2)]: { status: 'undelivered', errorCode: 30003 } },
        },
      });
    });
    afterAll(() => sut.close());

    it('records delivered and undelivered reports from signed callbacks', async () => {
      await sut.customers.insertMany(
        [1, 2].map((i) => ({
          id: `M${i}`,
          phone: phone(i),
          devices: [],
          channels: { 'online-banking': recently() },
        })),
      );
      const { noticeId } = await sut.postEvent(
        eventBody({ channels: [{ id: 'online-banking', status: 'down' }] }),
      );
      await sut.waitForNotice(noticeId, 'done');
      const settled = async () =>
        sut.db
          .selectFrom('deliveries')
          .select(['customer_id', 'state', 'reason', 'provider_code'])
          .where('notice_id', '=', noticeId)
          .orderBy('customer_id')
          .execute();
      await until(
        'both final statuses',
        async () => (await settled()).every((d) => d.state === 'delivered' || d.state === 'failed'),
        10_000,
      );
      expect(await settled()).toEqual([
        { customer_id: 'M1', state: 'delivered', reason: null, provider_code: null },
        { customer_id: 'M2', state: 'failed', reason: 'undelivered', provider_code: '30003' },
      ]);
    });

    it('applies reports that arrive before the worker has recorded the send', async () => {
      // 120 SMS in batches of 50: each batch records its sends only once all 50 are out, while the simulator
      // reports each one at once, so most reports find their row still pending.
      const ids = Array.from({ length: 120 }, (_, i) => `R${String(i).padStart(3, '0')}`);
      await sut.customers.insertMany(
        ids.map((id, i) => ({
          id,
          phone: `+5730166${String(10_000 + i).slice(1)}`,
          devices: [],
          channels: { 'bill-payments': recently() },
        })),
      );
      const { noticeId } = await sut.postEvent(
        eventBody({ channels: [{ id: 'bill-payments', status: 'down' }] }),
      );
      await sut.waitForNotice(noticeId, 'done');
      await until(
        'every report applied',
        async () => (await sut.deliveries(noticeId)).every((d) => d.state === 'delivered'),
        15_000,
      );
      const waiting = await sut.db.selectFrom('carrier_reports').select('message_id').execute();
      expect(waiting).toEqual([]);
    });

    it('refuses a forged callback with 403 and changes nothing', async () => {
      const row = await sut.db
        .selectFrom('deliveries')
        .select(['provider_message_id', 'state'])
        .where('customer_id', '=', 'M1')
        .executeTakeFirstOrThrow();
      const form = {
        MessageSid: row.provider_message_id as string,
        MessageStatus: 'undelivered',
        ErrorCode: '30005',
      };
      const forged = createHmac('sha1', 'not-the-token')
        .update(
          `${PUBLIC_BASE_URL}/v1/providers/twilio/status${Object.keys(form)
            .sort()
            .map((k) => k + form[k as keyof typeof form])
            .join('')}`,
        )
        .digest('base64');
      await sut.http
        .post('/v1/providers/twilio/status')
        .type('form')
        .set('X-Twilio-Signature', forged)
        .send(form)
        .expect(403);
      await sut.http.post('/v1/providers/twilio/status').type('form').send(form).expect(403);
      // An intermediate status is answered unchecked, since it is never recorded.
      const sent = { ...form, MessageStatus: 'sent' };
      await sut.http.post('/v1/providers/twilio/status').type('form').send(sent).expect(204);
      const after = await sut.db
        .selectFrom('deliveries')
        .select('state')
        .where('customer_id', '=', 'M1')
        .executeTakeFirstOrThrow();
      expect(after.state).toBe('delivered');
    });

    it('fails recipients after the last attempt, then retry-failed sends them again', async () => {
      await sut.customers.newCustomer({
        id: 'F1',
        phone: phone(7),
        devices: [],
        channels: { 'call-center': recently() },
      });
      sut.sims.twilio.configure({ errorRate: 1, errorStatus: 500 });
      const { noticeId } = await sut.postEvent(
        eventBody({ channels: [{ id: 'call-center', status: 'down' }] }),
      );
      await sut.waitForNotice(noticeId, 'done');
      expect(await sut.deliveries(noticeId)).toEqual([
        { customer_id: 'F1', medium: 'sms', state: 'failed', reason: 'retries-exhausted' },
      ]);
      sut.sims.twilio.configure({ errorRate: 0 });
      const res = await sut.http
        .post(`/v1/notices/${noticeId}/retry-failed`)
        .set('Authorization', sut.admin)
        .expect(202);
      expect(res.body).toEqual({ id: noticeId, requeued: 1 });
      await sut.waitForNotice(noticeId, 'done');
      await until(
        'the retried SMS',
        async () => (await sut.deliveries(noticeId))[0].state !== 'pending',
        10_000,
      );
      expect(['sent', 'delivered']).toContain((await sut.deliveries(noticeId))[0].state);
    });
  });
});
