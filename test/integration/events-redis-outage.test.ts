import { Redis } from 'ioredis';
import { NoticeOutbox } from '../../src/notices/notice-outbox';
import { JobQueue, REDIS } from '../../src/queues/job-queue';
import { QueueName } from '../../src/queues/jobs';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

describe('Event intake while Redis is away', () => {
  let sut: TestApi;
  let writer: string;
  let redis: Redis;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    writer = await sut.bearer('events:write');
    redis = sut.app.get<Redis>(REDIS);
  });
  afterAll(async () => {
    if (redis.status !== 'ready') await redis.connect();
    await sut?.close();
  });

  const planning = () => sut.app.get(JobQueue).queue(QueueName.Planning);

  it('still accepts the event, keeps the notice, and the planning sweep queues it once Redis is back', async () => {
    await sut.http.post('/v1/events').set('Authorization', writer).send(eventBody()).expect(202);
    redis.disconnect();

    const started = Date.now();
    const res = await sut.http.post('/v1/events').set('Authorization', writer).send(eventBody()).expect(202);

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.body).toMatchObject({ duplicate: false, noticeId: expect.any(String) });
    const notice = await sut.db
      .selectFrom('notices')
      .select('state')
      .where('id', '=', res.body.noticeId)
      .executeTakeFirstOrThrow();
    expect(notice.state).toBe('planning');

    await redis.connect();
    expect(await planning().getJob(`plan-${res.body.noticeId}`)).toBeUndefined();
    await sut.app.get(NoticeOutbox).requeuePlanning();

    expect((await planning().getJob(`plan-${res.body.noticeId}`))?.data).toEqual({
      noticeId: res.body.noticeId,
    });
  });
});
