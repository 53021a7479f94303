import { QueueName } from '../../src/queues/jobs';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

describe('Queue dashboard (Bull Board) at /admin/queues', () => {
  let sut: TestApi;
  let admin: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    admin = await sut.bearer('admin');
  });
  afterAll(() => sut?.close());

  it('answers 401 without a key (asking a browser for one) and 403 to a key that is not admin', async () => {
    const anonymous = await sut.http.get('/admin/queues').expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="Aviso"/);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    await sut.http.get('/admin/queues/api/queues').expect(401);
    const writer = await sut.bearer('events:write');
    await sut.http.get('/admin/queues').set('Authorization', writer).expect(403);
    await sut.http.get('/admin/queues/api/queues').set('Authorization', writer).expect(403);
  });

  it('shows every queue, with a queued planning job, to an admin key (as Bearer or as a Basic password)', async () => {
    const writer = await sut.bearer('events:write');
    const { body: receipt } = await sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .send(eventBody())
      .expect(202);

    const page = await sut.http.get('/admin/queues').set('Authorization', admin).expect(200);
    expect(page.text).toContain('<html');
    const basic = `Basic ${Buffer.from(`ops:${admin.slice('Bearer '.length)}`).toString('base64')}`;
    const res = await sut.http
      .get('/admin/queues/api/queues')
      .query({ activeQueue: QueueName.Planning, status: 'latest', page: 1, jobsPerPage: 10 })
      .set('Authorization', basic)
      .expect(200);
    const names = res.body.queues.map((q: { name: string }) => q.name);
    expect(names.sort()).toEqual(Object.values(QueueName).sort());
    const planning = res.body.queues.find((q: { name: string }) => q.name === QueueName.Planning);
    expect(planning.jobs.map((j: { data: unknown }) => j.data)).toContainEqual({
      noticeId: receipt.noticeId,
    });
  });
});
