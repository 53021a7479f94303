import { Cluster } from 'ioredis';
import { REDIS } from '../../src/queues/job-queue';
import { eventBody } from '../support/event-factory';
import { LocalRedisCluster, startRedisCluster } from '../support/redis-cluster';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);

describe('On a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let sut: TestStack;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    // REDIS_URL points at nothing: with REDIS_CLUSTER_NODES set it must not be used at all. The per-key rate limit
    // is on, so its counters live on the cluster too.
    sut = await startTestStack({
      env: { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: 'redis://127.0.0.1:9', API_RATE_PER_KEY: '1000' },
    });
  }, 120_000);
  afterAll(async () => {
    await sut?.close();
    await cluster?.close();
  });

  it('runs a notice end to end through the API and a worker, telling every recipient once', async () => {
    expect(sut.app.get(REDIS)).toBeInstanceOf(Cluster);
    const seeded = await sut.customers.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        id: `RC${String(i).padStart(3, '0')}`,
        phone: `+5730050${String(i).padStart(5, '0')}`,
        devices: i % 2 ? [`rc-tok-${i}`] : [],
        channels: { 'mobile-app': recently() },
      })),
    );
    const { noticeId } = await sut.postEvent(eventBody());
    const masters = (sut.app.get(REDIS) as Cluster).nodes('master');
    const rateKeys = await Promise.all(masters.map((node) => node.keys('*api-rate*')));
    expect(rateKeys.flat()).not.toEqual([]);
    await sut.waitForNotice(noticeId, 'done', 120_000);

    const rows = await sut.deliveries(noticeId);
    expect(rows.map((r) => r.customer_id)).toEqual(seeded.map((c) => c.id));
    expect(rows.every((r) => r.state === 'sent' || r.state === 'delivered')).toBe(true);
    const tokens = sut.sims.fcm
      .received()
      .records.filter((r) => r.status === 200)
      .map((r) => r.token);
    const phones = sut.sims.twilio
      .received()
      .records.filter((r) => r.status === 201)
      .map((r) => r.to);
    expect(tokens.sort()).toEqual(seeded.flatMap((c) => c.devices).sort());
    expect(phones.sort()).toEqual(
      seeded
        .filter((c) => !c.devices.length)
        .map((c) => c.phone)
        .sort(),
    );
  }, 180_000);
});
