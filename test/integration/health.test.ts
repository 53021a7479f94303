import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { DB } from '../../src/database/database.module';
import { Readiness, ReadinessReport } from '../../src/health/readiness';
import { serveMetrics } from '../../src/metrics/metrics-server';
import { REDIS } from '../../src/queues/job-queue';
import { eventBody } from '../support/event-factory';
import { freePort, LocalDaemon } from '../support/local-daemon';
import { startRedisServer } from '../support/local-redis';
import { startTestApi, TestApi } from '../support/test-api';

/** Generous for a loaded machine, yet far below what a hanging probe would take (forever). */
const BOUNDED_MS = 5_000;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
}

describe('Health', () => {
  describe('when Redis dies under a running API and worker', () => {
    let redis: LocalDaemon;
    let redisPort: number;
    let sut: TestApi;
    let workerHealth: Server;
    let workerUrl: string;

    beforeAll(async () => {
      redisPort = await freePort();
      redis = await startRedisServer(redisPort);
      sut = await startTestApi('postgres', { REDIS_URL: `redis://127.0.0.1:${redisPort}` });
      // The worker's health server over the same connections, as src/worker.ts builds it.
      const readiness = new Readiness(sut.app.get(DB), sut.app.get(REDIS), 'worker', sut.config);
      workerHealth = await serveMetrics(0, '127.0.0.1', readiness);
      workerUrl = `http://127.0.0.1:${(workerHealth.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      workerHealth?.close();
      // Redis comes back (on its port, empty) so the API closes as it would after an outage.
      if (redis?.process.exitCode !== null || redis?.process.signalCode !== null) {
        redis = await startRedisServer(redisPort);
      }
      await sut?.close();
      await redis?.stop();
    });

    it('is live and ready while everything answers, on the API and on the worker', async () => {
      await sut.http.get('/health/live').expect(200, { status: 'ok' });
      const ready = await sut.http.get('/health/ready').expect(200);
      expect(ready.body).toEqual({
        status: 'ok',
        checks: { database: { status: 'up', required: true }, redis: { status: 'up', required: false } },
      });
      await sut.http.get('/health').expect(200);
      expect((await fetch(`${workerUrl}/health/live`)).status).toBe(200);
      const worker = await fetch(`${workerUrl}/health/ready`);
      expect(worker.status).toBe(200);
      expect(((await worker.json()) as ReadinessReport).checks.redis).toEqual({
        status: 'up',
        required: true,
      });
    });

    it('stays live in under a second, ready on the API, not ready on the worker, and still takes events', async () => {
      await redis.stop();

      const live = await timed(() => sut.http.get('/health/live').expect(200));
      expect(live.ms).toBeLessThan(1_000);

      const ready = await timed(() => sut.http.get('/health/ready').expect(200));
      expect(ready.ms).toBeLessThan(BOUNDED_MS);
      expect(ready.value.body.checks.redis).toEqual({
        status: 'down',
        message: expect.any(String),
        required: false,
      });
      await sut.http.get('/health').expect(200);

      const worker = await timed(() => fetch(`${workerUrl}/health/ready`));
      expect(worker.ms).toBeLessThan(BOUNDED_MS);
      expect(worker.value.status).toBe(503);
      expect((await fetch(`${workerUrl}/health/live`)).status).toBe(200);

      const metrics = await timed(() => sut.http.get('/metrics').expect(200));
      expect(metrics.ms).toBeLessThan(BOUNDED_MS);
      expect(metrics.value.text).not.toContain('aviso_queue_jobs{');

      const writer = await sut.bearer('events:write');
      const accepted = await sut.http
        .post('/v1/events')
        .set('Authorization', writer)
        .send(eventBody())
        .expect(202);
      expect(accepted.body).toMatchObject({ duplicate: false, noticeId: expect.any(String) });
    });

    it('still stops within a few seconds while Redis is away', async () => {
      const stop = await timed(() => sut.app.close());
      expect(stop.ms).toBeLessThan(BOUNDED_MS + 2_000);
    });
  });

  describe('on SIGTERM', () => {
    it('fails readiness first, keeps serving for the grace period, then closes', async () => {
      const sut = await startTestApi('postgres', { SHUTDOWN_GRACE_MS: '3000' });
      await sut.app.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);

      // What enableShutdownHooks does on SIGTERM.
      const closing = sut.close();
      const stopping = await fetch(`${url}/health/ready`);
      expect(stopping.status).toBe(503);
      expect(((await stopping.json()) as ReadinessReport).status).toBe('stopping');
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      await closing;
      await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    });
  });
});
