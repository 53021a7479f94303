import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import request from 'supertest';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

const PROBLEM = /^application\/problem\+json/;

/** Requests an attacker or a careless upstream system sends; none may cost a 5xx, a crash or a wrong row. */
describe('Hostile input', () => {
  let sut: TestApi;
  let writer: string;
  let reader: string;
  let directory: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    [writer, reader, directory] = await Promise.all([
      sut.bearer('events:write'),
      sut.bearer('incidents:read'),
      sut.bearer('customers:write'),
    ]);
  });
  afterAll(() => sut?.close());

  const postRaw = (path: string, key: string, text: string) =>
    sut.http.post(path).set('Authorization', key).set('Content-Type', 'application/json').send(text);

  async function count(table: 'events' | 'incidents' | 'notices'): Promise<number> {
    const { n } = await sut.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  function expectValidationProblem(res: request.Response, field: string, reason: RegExp) {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
  }

  it.each([
    ['/v1/events', 'writer'],
    ['/v1/audience/preview', 'reader'],
  ])('refuses 300,000 channels on %s with a short answer, before validating each', async (path, who) => {
    const text = JSON.stringify({ ...eventBody(), channels: new Array(300_000).fill({}) });
    const res = await postRaw(path, who === 'writer' ? writer : reader, text);
    expectValidationProblem(res, 'channels', /at most 500 items/);
    expect(res.text.length).toBeLessThan(2_000);
    await sut.http.get('/health').expect(200);
  });

  it('lists at most 20 errors and counts them all', async () => {
    const channels = Array.from({ length: 60 }, () => ({}));
    const res = await postRaw('/v1/events', writer, JSON.stringify({ ...eventBody(), channels }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.errorCount).toBeGreaterThan(20);
  });

  it('refuses more channels than the catalog has, even when each is valid', async () => {
    const channels = Array.from({ length: 9 }, () => ({ id: 'mobile-app', status: 'down' }));
    const res = await postRaw('/v1/events', writer, JSON.stringify({ ...eventBody(), channels }));
    expectValidationProblem(res, 'channels', /at most 8 channels/);
  });

  it.each([
    ['/v1/events', 'writer'],
    ['/v1/audience/preview', 'reader'],
  ])('refuses 70,000 regions on %s instead of accepting a notice it cannot plan', async (path, who) => {
    const regions = Array.from({ length: 70_000 }, (_, i) => `r${i}`);
    const res = await postRaw(
      path,
      who === 'writer' ? writer : reader,
      JSON.stringify(eventBody({ regions })),
    );
    expectValidationProblem(res, 'regions', /at most 500/);
    expect(await count('notices')).toBe(0);
  });

  it('refuses 5,000 levels of nesting in an unknown field', async () => {
    const deep = '['.repeat(5_000) + ']'.repeat(5_000);
    const text = JSON.stringify(eventBody()).replace(/^\{/, `{"extra":${deep},`);
    const res = await postRaw('/v1/events', writer, text);
    expectValidationProblem(res, 'extra[0][0][0][0][0][0][0]', /nest/);
  });

  it.each([
    ['message.es-CO', { message: { 'es-CO': 'a\u0000b' } }, /NUL/],
    ['title.en', { title: { en: 'a\u0000' } }, /NUL/],
    ['advice.es-CO', { advice: { 'es-CO': 'x\ud800y' } }, /surrogate/],
    ['incidentRef', { incidentRef: 'INC-\udc00' }, /surrogate/],
    ['message.en', { message: { 'es-CO': 'ok', en: '\ud83d' } }, /surrogate/],
  ])('refuses text PostgreSQL cannot store, naming %s', async (field, override, reason) => {
    const res = await postRaw('/v1/events', writer, JSON.stringify(eventBody(override)));
    expectValidationProblem(res, field, reason);
    expect(await count('events')).toBe(0);
  });

  it('refuses a __proto__ locale key instead of dropping it', async () => {
    const text = JSON.stringify(eventBody()).replace('"message":{', '"message":{"__proto__":"x",');
    const res = await postRaw('/v1/events', writer, text);
    expectValidationProblem(res, 'message.__proto__', /not an allowed key/);
  });

  it('answers a compressed body with 415 once authenticated, and 401 before reading it without a key', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const send = (key?: string) => {
        const req = sut.http
          .post('/v1/events')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding);
        return (key ? req.set('Authorization', key) : req).send('not gzip');
      };
      const anonymous = await send();
      expect({ encoding, status: anonymous.status }).toEqual({ encoding, status: 401 });
      expect(anonymous.headers['content-type']).toMatch(PROBLEM);
      const signed = await send(writer);
      expect({ encoding, status: signed.status }).toEqual({ encoding, status: 415 });
      expect(signed.headers['content-type']).toMatch(PROBLEM);
      expect(signed.body.detail).toMatch(encoding);
    }
  });

  it('refuses a request without a key before reading its body, however large', async () => {
    const res = await sut.http
      .post('/v1/events')
      .set('Content-Type', 'application/json')
      .send('x'.repeat(sut.config.env.MAX_BODY_BYTES + 1));
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('answers an incident reference no incident can have with 404, on the evidence export too', async () => {
    const auditor = await sut.bearer('audit:read');
    for (const id of ['%00', `a%00b`, 'x'.repeat(65)]) {
      const res = await sut.http.get(`/v1/incidents/${id}/evidence`).set('Authorization', auditor);
      expect({ id, status: res.status }).toEqual({ id, status: 404 });
      expect(res.headers['content-type']).toMatch(PROBLEM);
    }
  });

  it('refuses a NUL in a query value, naming the parameter', async () => {
    const auditor = await sut.bearer('audit:read');
    const res = await sut.http.get('/v1/audit?action=a%00b').set('Authorization', auditor);
    expectValidationProblem(res, 'action', /NUL/);
  });

  it('answers a crafted cursor with 400', async () => {
    const cursor = Buffer.from(JSON.stringify(['-200000-01-01T00:00:00Z', randomUUID()])).toString(
      'base64url',
    );
    const res = await sut.http.get(`/v1/incidents?cursor=${cursor}`).set('Authorization', reader);
    expectValidationProblem(res, 'cursor', /not a cursor/);
  });

  it('answers an empty or non-object PUT with 400 and leaves the customer as it was', async () => {
    const customer = {
      locale: 'es-CO',
      phone: '+573001234567',
      devices: [{ token: 'hostile-token-1', platform: 'android' }],
      consent: { push: true, sms: true },
      channels: { 'mobile-app': '2026-11-20T12:00:00.000Z' },
    };
    const path = '/v1/customers/C0000002';
    const stored = await sut.http.put(path).set('Authorization', directory).send(customer).expect(200);
    for (const text of ['', ' ', '[]', '"x"', '7', 'null']) {
      const res = await sut.http
        .put(path)
        .set('Authorization', directory)
        .set('Content-Type', 'application/json')
        .send(text);
      expect({ text, status: res.status }).toEqual({ text, status: 400 });
      expect(res.headers['content-type']).toMatch(PROBLEM);
    }
    const row = await sut.db
      .selectFrom('customers')
      .select(['phone', 'consent_push', 'has_device'])
      .where('id', '=', 'C0000002')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ phone: '+573001234567', consent_push: true, has_device: true });
    expect(stored.body.devices).toHaveLength(1);
  });

  it('refuses an occurredAt beyond the allowed clock skew and accepts one within it', async () => {
    const future = await postRaw(
      '/v1/events',
      writer,
      JSON.stringify(eventBody({ occurredAt: '9999-12-31T23:59:59Z' })),
    );
    expectValidationProblem(future, 'occurredAt', /300 seconds in the future/);
    const soon = new Date(Date.now() + 60_000).toISOString();
    await postRaw('/v1/events', writer, JSON.stringify(eventBody({ occurredAt: soon }))).expect(202);
  });

  it('answers a 10 KB URL with 414 and a 100 KB URL with 431, both problem JSON', async () => {
    for (const [length, status] of [
      [10_000, 414],
      [100_000, 431],
    ]) {
      const res = await sut.http
        .get(`/v1/incidents?cursor=${'a'.repeat(length)}`)
        .set('Authorization', reader);
      expect({ length, status: res.status }).toEqual({ length, status });
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.status).toBe(status);
    }
    await sut.http.get('/health').expect(200);
  });

  it('answers a request Node cannot parse with 400 problem JSON', async () => {
    const server = sut.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400 });
  });
});
