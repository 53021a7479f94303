import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Workers consuming some queues (WORKER_QUEUES)', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack({ worker: false });
  });
  afterAll(() => sut.close());

  it('plans in one process and sends in another, each leaving the other queues alone', async () => {
    await sut.customers.insertMany(
      Array.from({ length: 40 }, (_, i) => ({
        id: `Q${String(i).padStart(2, '0')}`,
        phone: `+5730055${String(10_000 + i).slice(1)}`,
        devices: i % 2 ? [`q-tok-${i}`] : [],
        channels: { 'mobile-app': recently() },
      })),
    );
    await sut.startWorker({ WORKER_QUEUES: 'planning' });
    const { noticeId } = await sut.postEvent(eventBody());
    await sut.waitForNotice(noticeId, 'sending');
    await settle(1_500);
    expect(sut.sims.fcm.received().records).toHaveLength(0);
    expect(sut.sims.twilio.received().records).toHaveLength(0);

    await sut.startWorker({ WORKER_QUEUES: 'push,sms' });
    await sut.waitForNotice(noticeId, 'done');
    const rows = await sut.deliveries(noticeId);
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => ['sent', 'delivered'].includes(r.state))).toBe(true);
    expect(sut.sims.fcm.received().records).toHaveLength(20);
    expect(sut.sims.twilio.received().records).toHaveLength(20);
  });

  it('leaves a notice unplanned while no worker consumes the planning queue', async () => {
    const local = await startTestStack({ worker: false });
    try {
      await local.customers.insertMany([
        { id: 'P1', devices: ['p1-tok'], channels: { 'mobile-app': recently() } },
      ]);
      await local.startWorker({ WORKER_QUEUES: 'sms,push' });
      const { noticeId } = await local.postEvent(eventBody());
      await settle(1_500);
      expect((await local.notice(noticeId)).state).toBe('planning');
      await local.startWorker({ WORKER_QUEUES: 'planning' });
      await local.waitForNotice(noticeId, 'done');
    } finally {
      await local.close();
    }
  });
});
