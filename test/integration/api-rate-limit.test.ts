import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHttpApp } from '../../src/app/http-app';
import { RedisServer } from '../bench/redis-server';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';
import { until } from '../support/until';

const RATE = 5;

/** Requests a fixed-window limiter of RATE per second plus a burst of RATE per 10 s lets through in `seconds`. */
const allowedWithin = (seconds: number) =>
  RATE * (Math.floor(seconds) + 1) + RATE * (Math.floor(seconds / 10) + 1);

describe('API rate per key', () => {
  let sut: TestApi;
  let second: INestApplication;

  beforeAll(async () => {
    sut = await startTestApi('postgres', { API_RATE_PER_KEY: String(RATE) });
    // A second API process on the same database and Redis prefix: the budget of a key is shared with it.
    second = await createHttpApp(sut.config);
    await second.init();
  });
  afterAll(async () => {
    await second?.close();
    await sut?.close();
  });

  it('answers a key over its rate with 429 problem JSON and Retry-After, counted across API processes', async () => {
    const key = await sut.bearer('incidents:read');
    const apps = [sut.http, request(second.getHttpServer())];
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => apps[i % 2].get('/v1/incidents').set('Authorization', key)),
    );
    const seconds = (Date.now() - started) / 1000;
    const accepted = answers.filter((res) => res.status === 200).length;
    const refused = answers.filter((res) => res.status === 429);

    expect(answers.every((res) => res.status === 200 || res.status === 429)).toBe(true);
    expect(accepted).toBeGreaterThanOrEqual(RATE);
    expect(accepted).toBeLessThanOrEqual(allowedWithin(seconds));
    expect(refused[0].headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused[0].body).toMatchObject({
      status: 429,
      type: expect.stringContaining('too-many-requests'),
    });
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('keeps each key to its own budget, and leaves health, metrics and callbacks unlimited', async () => {
    const [busy, quiet] = await Promise.all([sut.bearer('incidents:read'), sut.bearer('incidents:read')]);
    const burst = (send: () => request.Test) => Promise.all(Array.from({ length: 40 }, send));

    const busyAnswers = await burst(() => sut.http.get('/v1/incidents').set('Authorization', busy));
    expect(busyAnswers.some((res) => res.status === 429)).toBe(true);
    await sut.http.get('/v1/incidents').set('Authorization', quiet).expect(200);

    for (const res of await burst(() => sut.http.get('/health'))) expect(res.status).toBe(200);
    for (const res of await burst(() => sut.http.get('/metrics'))) expect(res.status).toBe(200);
    const callbacks = await burst(() =>
      sut.http
        .post('/v1/providers/twilio/status')
        .type('form')
        .send({ MessageSid: 'SM1', MessageStatus: 'delivered' }),
    );
    for (const res of callbacks) expect(res.status).toBe(403);
  });
});

describe('API rate per key while Redis is away', () => {
  let redis: RedisServer;
  let redisDown = false;
  let sut: TestApi;

  beforeAll(async () => {
    redis = await RedisServer.start(join(tmpdir(), `aviso-rate-redis-${process.pid}.log`));
    sut = await startTestApi('postgres', { API_RATE_PER_KEY: '1', REDIS_URL: redis.url });
  });
  afterAll(async () => {
    // Closing the queues needs Redis; a test that failed mid-outage leaves it stopped.
    if (redisDown) await redis.restart();
    await sut?.close();
    await redis.stop();
  });

  it('lets requests through while Redis is unreachable, and limits again once it is back', async () => {
    const [writer, reader] = await Promise.all([sut.bearer('events:write'), sut.bearer('incidents:read')]);
    await redis.crash();
    redisDown = true;

    const reads = await Promise.all(
      Array.from({ length: 10 }, () => sut.http.get('/v1/incidents').set('Authorization', reader)),
    );
    expect(reads.map((res) => res.status)).toEqual(new Array(10).fill(200));
    await sut.http.post('/v1/events').set('Authorization', writer).send(eventBody()).expect(202);

    await redis.restart();
    redisDown = false;
    await until(
      'the rate limit to hold again',
      async () => {
        const answers = await Promise.all(
          Array.from({ length: 10 }, () =>
            sut.http.post('/v1/audience/preview').set('Authorization', writer).send(eventBody()),
          ),
        );
        return answers.some((res) => res.status === 429);
      },
      30_000,
      200,
    );
    // Read once Redis is back: the queue depths on /metrics wait for Redis.
    const metrics = await sut.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/aviso_api_key_rate_total\{result="redis-down"\} [1-9]/);
  });
});
