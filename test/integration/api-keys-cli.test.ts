import { cliOn } from '../support/cli';
import { startTestApi, TestApi } from '../support/test-api';

describe('API keys from the CLI', () => {
  let sut: TestApi;
  const cli = (...args: string[]) => cliOn(sut.config.env.DATABASE_URL, ...args);

  beforeAll(async () => {
    sut = await startTestApi('postgres');
  });
  afterAll(() => sut.close());

  it('creates a key whose last output line is the key, scoped as asked, and stores only its hash', async () => {
    const out = await cli('keys:create', '--name', 'monitoring', '--scopes', 'incidents:read');
    const key = out[out.length - 1];
    expect(key).toMatch(/^avk_[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/);

    await sut.http.get('/v1/incidents').set('Authorization', `Bearer ${key}`).expect(200);
    const denied = await sut.http
      .post('/v1/events')
      .set('Authorization', `Bearer ${key}`)
      .send({})
      .expect(403);
    expect(denied.body.detail).toMatch(/events:write/);

    const rows = await sut.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key.split('.')[1]);
    const audit = await sut.db.selectFrom('audit_log').select(['actor', 'action']).execute();
    expect(audit).toContainEqual({ actor: 'cli', action: 'api-key.create' });
  });

  it('revokes a key: calls with it are refused and the list shows it revoked', async () => {
    const out = await cli('keys:create', '--name', 'crm', '--scopes', 'customers:write,incidents:read');
    const key = out[out.length - 1];
    const id = key.slice(4, 16);
    await cli('keys:revoke', '--id', id);
    const refused = await sut.http.get('/v1/incidents').set('Authorization', `Bearer ${key}`).expect(401);
    expect(refused.body.title).toBe('Authentication required');
    expect((await cli('keys:list')).find((l) => l.startsWith(id))).toMatch(/revoked/);
    await expect(cli('keys:revoke', '--id', id)).rejects.toThrow(/does not exist/);
  });

  it('refuses unknown scopes and a missing or malformed key', async () => {
    await expect(cli('keys:create', '--name', 'x', '--scopes', 'root')).rejects.toThrow(/invalid/i);
    const none = await sut.http.get('/v1/incidents').expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    await sut.http.get('/v1/incidents').set('Authorization', 'Bearer avk_nope').expect(401);
    await sut.http.get('/v1/incidents').set('Authorization', 'Basic abc').expect(401);
  });
});
