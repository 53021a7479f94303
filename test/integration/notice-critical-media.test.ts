import { sql } from 'kysely';
import { QueueName } from '../../src/queues/jobs';
import { eventBody } from '../support/event-factory';
import { waitForDrained, withQueuePaused } from '../support/queue-control';
import { startTestStack, TestStack } from '../support/test-stack';
import { until } from '../support/until';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);
const phone = (i: number) => `+5730077700${i}`;
const pushTo = (stack: TestStack) =>
  stack.sims.fcm
    .received()
    .records.filter((r) => r.status === 200)
    .map((r) => r.token as string);
const smsTo = (stack: TestStack) =>
  stack.sims.twilio
    .received()
    .records.filter((r) => r.status === 201)
    .map((r) => r.to);
const told = (state: string) => (state === 'sent' || state === 'delivered' ? 'told' : state);

describe('Critical notices: both media', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack({
      env: { SEND_ATTEMPTS: '2', SEND_BACKOFF_MS: '100' },
      fcm: { unregisteredTokens: ['dead-C4'] },
    });
  });
  afterAll(() => sut.close());
  beforeEach(() => {
    sut.sims.fcm.reset();
    sut.sims.twilio.reset();
  });

  it('reaches a two-medium customer by push and by SMS, everyone else by what reaches them, once per medium', async () => {
    const channels = { 'interbank-transfers': recently() };
    await sut.customers.insertMany([
      { id: 'C1', phone: phone(1), devices: ['tok-C1'], channels },
      { id: 'C2', phone: null, devices: ['tok-C2'], channels },
      { id: 'C3', phone: phone(3), devices: [], channels },
      { id: 'C4', phone: phone(4), devices: ['dead-C4'], channels },
      { id: 'C5', phone: phone(5), consent: { push: true, sms: false }, devices: ['tok-C5'], channels },
    ]);
    const { noticeId } = await sut.postEvent(
      eventBody({ severity: 'critical', channels: [{ id: 'interbank-transfers', status: 'down' }] }),
    );
    await sut.waitForNotice(noticeId, 'done');

    const rows = (await sut.deliveries(noticeId)).map((r) => [
      r.customer_id,
      r.medium,
      told(r.state),
      r.reason,
    ]);
    expect(rows.sort()).toEqual(
      [
        ['C1', 'push', 'told', null],
        ['C1', 'sms', 'told', null],
        ['C2', 'push', 'told', null],
        ['C3', 'sms', 'told', null],
        // Every device dead: the SMS the customer already gets is the fallback, so no second SMS.
        ['C4', 'push', 'failed', 'no-live-device'],
        ['C4', 'sms', 'told', null],
        ['C5', 'push', 'told', null],
      ].sort(),
    );
    expect(pushTo(sut).sort()).toEqual(['tok-C1', 'tok-C2', 'tok-C5']);
    expect(smsTo(sut).sort()).toEqual([phone(1), phone(3), phone(4)]);

    const view = await sut.http.get(`/v1/notices/${noticeId}`).set('Authorization', sut.admin).expect(200);
    expect(view.body.audience).toEqual({ total: 5, planned: 5 });
    expect(view.body.counts.push).toMatchObject({ sent: 3, failed: 1 });
    expect(view.body.counts.sms.sent + view.body.counts.sms.delivered).toBe(3);
  });

  it('keeps one delivery per customer per notice and medium in the database itself', async () => {
    const {
      rows: [row],
    } = await sql<{ key: string }>`
      SELECT pg_get_constraintdef(oid) AS key FROM pg_constraint
      WHERE conrelid = 'deliveries'::regclass AND contype = 'p'`.execute(sut.db);
    expect(row.key).toBe('PRIMARY KEY (notice_id, customer_id, medium)');
    const existing = await sut.db
      .selectFrom('deliveries')
      .select(['notice_id', 'customer_id'])
      .where('customer_id', '=', 'C1')
      .where('medium', '=', 'sms')
      .executeTakeFirstOrThrow();
    await expect(
      sut.db
        .insertInto('deliveries')
        .values({ ...existing, batch: 99, medium: 'sms', state: 'pending' })
        .execute(),
    ).rejects.toThrow(/duplicate key/);
  });

  it('skips both media on cancel, and a newer notice supersedes both', async () => {
    const channels = { 'atm-network': recently() };
    await sut.customers.insertMany([
      { id: 'X1', phone: phone(6), devices: ['tok-X1'], channels },
      { id: 'X2', phone: phone(7), devices: ['tok-X2'], channels },
    ]);
    const incidentRef = 'INC-CRIT-CONTROL';
    const down = [{ id: 'atm-network', status: 'down' as const }];
    const [older, cancelled] = await withQueuePaused(sut.config, QueueName.Sms, () =>
      withQueuePaused(sut.config, QueueName.Push, async () => {
        const first = await sut.postEvent(
          eventBody({
            incidentRef,
            severity: 'critical',
            channels: down,
            occurredAt: '2026-11-25T10:00:00Z',
          }),
        );
        await sut.waitForNotice(first.noticeId, 'sending');
        const second = await sut.postEvent(
          eventBody({
            incidentRef,
            type: 'updated',
            severity: 'critical',
            channels: down,
            occurredAt: '2026-11-25T10:05:00Z',
          }),
        );
        await sut.waitForNotice(second.noticeId, 'sending');
        const res = await sut.http
          .post(`/v1/notices/${second.noticeId}/cancel`)
          .set('Authorization', sut.admin)
          .expect(200);
        expect(res.body).toMatchObject({ state: 'cancelled', skipped: 4 });
        return [first, second];
      }),
    );
    await waitForDrained(sut.config, QueueName.Push);
    await waitForDrained(sut.config, QueueName.Sms);
    const reasons = async (noticeId: string) =>
      (await sut.deliveries(noticeId)).map((r) => [r.customer_id, r.medium, r.state, r.reason]);
    expect(await reasons(older.noticeId)).toEqual(
      expect.arrayContaining([
        ['X1', 'push', 'skipped', 'superseded'],
        ['X1', 'sms', 'skipped', 'superseded'],
        ['X2', 'push', 'skipped', 'superseded'],
        ['X2', 'sms', 'skipped', 'superseded'],
      ]),
    );
    expect((await reasons(cancelled.noticeId)).map((r) => r[3])).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(pushTo(sut)).toEqual([]);
    expect(smsTo(sut)).toEqual([]);
  });

  it('retry-failed sends again only on the medium that failed', async () => {
    await sut.customers.newCustomer({
      id: 'F1',
      phone: phone(8),
      devices: ['tok-F1'],
      channels: { 'call-center': recently() },
    });
    sut.sims.twilio.configure({ errorRate: 1, errorStatus: 500 });
    const { noticeId } = await sut.postEvent(
      eventBody({ severity: 'critical', channels: [{ id: 'call-center', status: 'down' }] }),
    );
    await sut.waitForNotice(noticeId, 'done');
    expect((await sut.deliveries(noticeId)).map((r) => [r.medium, r.state, r.reason]).sort()).toEqual([
      ['push', 'sent', null],
      ['sms', 'failed', 'retries-exhausted'],
    ]);
    sut.sims.twilio.configure({ errorRate: 0 });
    const res = await sut.http
      .post(`/v1/notices/${noticeId}/retry-failed`)
      .set('Authorization', sut.admin)
      .expect(202);
    expect(res.body).toEqual({ id: noticeId, requeued: 1 });
    await until(
      'the retried SMS',
      async () =>
        (await sut.deliveries(noticeId)).every((r) => r.state !== 'pending' && r.state !== 'failed'),
      20_000,
    );
    expect(pushTo(sut)).toEqual(['tok-F1']);
    expect(smsTo(sut)).toEqual([phone(8)]);
  });
});

describe('Critical notices: cooldown', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack({ env: { NOTICE_COOLDOWN: '600' } });
  });
  afterAll(() => sut.close());

  it('holds back both media of a customer told about the incident within the cooldown', async () => {
    await sut.customers.newCustomer({
      id: 'K1',
      phone: phone(9),
      devices: ['tok-K1'],
      channels: { 'bill-payments': recently() },
    });
    const base = {
      incidentRef: 'INC-CRIT-COOL',
      severity: 'critical' as const,
      channels: [{ id: 'bill-payments', status: 'down' as const }],
    };
    const opened = await sut.postEvent(eventBody({ ...base, occurredAt: '2026-11-25T10:00:00Z' }));
    await sut.waitForNotice(opened.noticeId, 'done');
    const updated = await sut.postEvent(
      eventBody({ ...base, type: 'updated', occurredAt: '2026-11-25T10:05:00Z' }),
    );
    await sut.waitForNotice(updated.noticeId, 'done');
    expect((await sut.deliveries(updated.noticeId)).map((r) => [r.medium, r.state, r.reason]).sort()).toEqual(
      [
        ['push', 'skipped', 'cooldown'],
        ['sms', 'skipped', 'cooldown'],
      ],
    );
  });
});
