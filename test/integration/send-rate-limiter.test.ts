import IORedis, { Redis } from 'ioredis';
import { SendRateLimiter } from '../../src/queues/send-rate-limiter';
import { clearQueues } from '../support/test-api';
import { testConfig } from '../support/test-config';

describe(SendRateLimiter.name, () => {
  const config = testConfig();
  const connections: Redis[] = [];
  /** One limiter per simulated worker process, each with its own Redis connection. */
  const limiter = () => {
    const redis = new IORedis(config.env.REDIS_URL);
    connections.push(redis);
    return new SendRateLimiter(redis, config);
  };

  afterAll(async () => {
    connections.forEach((c) => c.disconnect());
    await clearQueues(config);
  });

  it('holds one rate across processes: 600 messages at 1,000/s from two of them take at least half a second', async () => {
    const [a, b] = [limiter(), limiter()];
    const started = Date.now();
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? a : b).acquire('sms', 25, 1_000).then(() => grants.push(Date.now() - started)),
      ),
    );
    // The last of 24 reservations of 25 ms each starts 23 × 25 ms after the first.
    expect(Math.max(...grants)).toBeGreaterThanOrEqual(23 * 25 - 10);
  });

  it('keeps providers apart: push does not wait for SMS', async () => {
    const sut = limiter();
    await sut.acquire('sms', 5_000, 1_000); // reserves the next 5 s of SMS
    const started = Date.now();
    await sut.acquire('push', 10, 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
