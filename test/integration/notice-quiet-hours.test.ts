import { QueueName } from '../../src/queues/jobs';
import { eventBody } from '../support/event-factory';
import { waitForDrained, withQueues } from '../support/queue-control';
import { zoneAt } from '../support/time-zones';
import { startTestStack, TestStack } from '../support/test-stack';
import { until } from '../support/until';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);
const HOUR_MS = 3600 * 1000;

/** 07:00 on the clock of a zone whose local time is now between 03:00 and 07:00. */
function sevenAm(offset: number): string {
  const local = new Date(Date.now() + offset * HOUR_MS);
  const release =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 7) - offset * HOUR_MS;
  return new Date(release).toISOString();
}

const pushTo = (stack: TestStack) =>
  stack.sims.fcm
    .received()
    .records.filter((r) => r.status === 200)
    .map((r) => r.token as string);

describe('Quiet hours', () => {
  let sut: TestStack;
  const night = zoneAt(3);
  const day = zoneAt(12);
  beforeAll(async () => {
    // The defaults, which test stacks otherwise turn off: 21:00-07:00 on each customer's clock, minor and major.
    sut = await startTestStack({
      env: { QUIET_HOURS: '21:00-07:00', QUIET_HOURS_SEVERITIES: 'minor,major' },
    });
    await sut.customers.insertMany([
      { id: 'N1', timeZone: night.zone, devices: ['tok-N1'], channels: { 'qr-payments': recently() } },
      { id: 'D1', timeZone: day.zone, devices: ['tok-D1'], channels: { 'qr-payments': recently() } },
      { id: 'C1', timeZone: night.zone, devices: ['tok-C1'], channels: { 'call-center': recently() } },
    ]);
  });
  afterAll(() => sut.close());

  it('holds a minor notice for a customer at 03:00 in a delayed job, sends it to the others, and sends nothing after a resolution inside the window', async () => {
    const incidentRef = 'INC-QUIET';
    const channels = [{ id: 'qr-payments', status: 'down' as const }];
    const opened = await sut.postEvent(
      eventBody({
        incidentRef,
        severity: 'minor',
        channels,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    );
    await until(
      'the awake customer to be told',
      async () =>
        (await sut.deliveries(opened.noticeId)).some((d) => d.customer_id === 'D1' && d.state === 'sent'),
      20_000,
    );
    const held = await sut.db
      .selectFrom('deliveries')
      .select(['state', 'reason', 'send_after'])
      .where('notice_id', '=', opened.noticeId)
      .where('customer_id', '=', 'N1')
      .executeTakeFirstOrThrow();
    expect(held).toEqual({
      state: 'pending',
      reason: 'quiet-hours',
      send_after: new Date(sevenAm(night.offset)),
    });
    const view = await sut.http
      .get(`/v1/notices/${opened.noticeId}`)
      .set('Authorization', sut.admin)
      .expect(200);
    expect(view.body).toMatchObject({
      state: 'sending',
      counts: { push: { sent: 1, deferred: 1, pending: 0 } },
      deferred: { total: 1, firstAt: sevenAm(night.offset), lastAt: sevenAm(night.offset) },
    });
    const delayed = await withQueues(
      sut.config.env.REDIS_URL,
      sut.config.env.QUEUE_PREFIX,
      [QueueName.Push],
      ([q]) => q.getDelayed(),
    );
    expect(delayed.map((j) => j.data)).toEqual([{ noticeId: opened.noticeId, batch: expect.any(Number) }]);
    expect(pushTo(sut)).toEqual(['tok-D1']);

    const resolved = await sut.postEvent(
      eventBody({
        incidentRef,
        type: 'resolved',
        severity: 'minor',
        channels: [{ id: 'qr-payments', status: 'restored' }],
        occurredAt: new Date().toISOString(),
      }),
    );
    await sut.waitForNotice(resolved.noticeId, 'done');
    await sut.waitForNotice(opened.noticeId, 'done');
    expect((await sut.deliveries(resolved.noticeId)).map((d) => d.customer_id)).toEqual(['D1']);
    expect((await sut.deliveries(opened.noticeId)).find((d) => d.customer_id === 'N1')).toMatchObject({
      state: 'skipped',
      reason: 'superseded',
    });

    // Run the held job now, as if 07:00 had come: it finds nothing left to send.
    await withQueues(sut.config.env.REDIS_URL, sut.config.env.QUEUE_PREFIX, [QueueName.Push], async ([q]) => {
      for (const job of await q.getDelayed()) await job.promote();
    });
    await waitForDrained(sut.config, QueueName.Push);
    expect(pushTo(sut)).toEqual(['tok-D1', 'tok-D1']);
  });

  it('sends a critical notice at once, whatever the hour', async () => {
    const { noticeId } = await sut.postEvent(
      eventBody({ severity: 'critical', channels: [{ id: 'call-center', status: 'down' }], media: ['push'] }),
    );
    await sut.waitForNotice(noticeId, 'done');
    expect(await sut.deliveries(noticeId)).toEqual([
      { customer_id: 'C1', medium: 'push', state: 'sent', reason: null },
    ]);
  });
});
