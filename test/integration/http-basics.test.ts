import { startTestApi, TestApi } from '../support/test-api';

describe('HTTP basics', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi('postgres', { MAX_BODY_BYTES: '2048' });
  });
  afterAll(() => sut.close());

  it('reports database and Redis as up on /health without a key', async () => {
    const res = await sut.http.get('/health').expect(200);
    expect(res.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
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
});
