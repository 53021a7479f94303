import { startTestApi, TestApi } from '../support/test-api';

describe('HTTP basics', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi('postgres', { MAX_BODY_BYTES: '2048' });
  });
  afterAll(() => sut.close());

  it('reports database and Redis as up on /health without a key', async () => {
    const res = await sut.http.get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await sut.http.get('/docs/openapi.json').expect(200);
    expect(res.body.info.title).toBe('Aviso');
  });

  it('answers an unknown route with problem JSON', async () => {
    const res = await sut.http.get('/v1/nowhere').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: expect.any(String) });
  });

  it('answers status callbacks that are not a signed form of acceptable size with problem JSON', async () => {
    const callback = '/v1/providers/twilio/status';
    const cases = [
      { type: 'application/json', body: '{"MessageSid":"SM1"}', status: 415, reason: /form-urlencoded/ },
      {
        type: 'application/x-www-form-urlencoded',
        body: `a=${'x'.repeat(4096)}`,
        status: 413,
        reason: /2048/,
      },
      {
        type: 'application/x-www-form-urlencoded',
        body: 'MessageSid=SM1&MessageStatus=delivered',
        status: 403,
      },
    ];
    for (const { type, body, status, reason } of cases) {
      const res = await sut.http.post(callback).set('Content-Type', type).send(body).expect(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, detail: expect.stringMatching(reason ?? /signature/) });
    }
    await sut.http.get(callback).expect(404);
  });
});
