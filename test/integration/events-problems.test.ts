import { randomUUID } from 'node:crypto';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

const VALID_CHANNELS =
  'mobile-app, online-banking, interbank-transfers, bill-payments, card-payments, atm-network, qr-payments, call-center';

describe('Event API problems', () => {
  let sut: TestApi;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres', { MAX_BODY_BYTES: '8192' });
    writer = await sut.bearer('events:write');
    reader = await sut.bearer('incidents:read');
  });
  afterAll(async () => {
    await expectNothingStored();
    await sut?.close();
  });

  const post = (body: unknown) =>
    sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .send(body as object);

  async function expectProblem(body: unknown, field: string, reason: RegExp | string) {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, type: expect.stringContaining('validation-failed') });
    expect(res.body.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
  }

  async function expectNothingStored() {
    for (const table of ['incidents', 'events', 'notices'] as const) {
      const { n } = await sut.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect({ table, rows: Number(n) }).toEqual({ table, rows: 0 });
    }
  }

  it('names the valid channels when one is unknown', async () => {
    const body = eventBody({
      channels: [
        { id: 'mobile-app', status: 'down' },
        { id: 'telepathy', status: 'down' },
      ],
    });
    await expectProblem(
      body,
      'channels[1].id',
      `unknown channel telepathy; valid channels: ${VALID_CHANNELS}`,
    );
  });

  it('refuses a channel listed twice', async () => {
    const body = eventBody({
      channels: [
        { id: 'mobile-app', status: 'down' },
        { id: 'mobile-app', status: 'restored' },
      ],
    });
    await expectProblem(body, 'channels[1].id', /more than once/);
  });

  it('requires the default locale in the message', async () => {
    await expectProblem(eventBody({ message: { en: 'Our app is failing.' } }), 'message', /es-CO/);
  });

  it('names the supported locales when one is not', async () => {
    const body = eventBody({ message: { 'es-CO': 'Fallas.', fr: 'Pannes.' }, advice: { pt: 'Calma.' } });
    await expectProblem(body, 'message.fr', /supported locales: es-CO, en/);
    await expectProblem(body, 'advice.pt', /supported locales: es-CO, en/);
  });

  it.each([
    ['severity', { severity: 'apocalyptic' }, /severity must be one of/],
    ['type', { type: 'closed' }, /type must be one of/],
    ['id', { id: 'has spaces' }, /id must be 1 to 128/],
    ['id', { id: 42 }, /string/],
    ['incidentRef', { incidentRef: '' }, /incidentRef/],
    ['incidentRef', { incidentRef: 'x'.repeat(65) }, /incidentRef/],
    ['channels', { channels: 'mobile-app' }, /array/],
    ['channels', { channels: [] }, /channels should not be empty/],
    ['channels[0].status', { channels: [{ id: 'mobile-app', status: 'on fire' }] }, /status must be one of/],
    ['channels[0]', { channels: ['mobile-app'] }, /object/],
    ['regions', { regions: 'antioquia' }, /array/],
    ['regions', { regions: ['Antioquia'] }, /lowercase slugs/],
    ['message', { message: 'Fallas' }, /object of texts keyed by locale/],
    ['message', { message: { 'es-CO': 7 } }, /message.es-CO must be a string/],
    ['message', { message: { 'es-CO': '  ' } }, /1 to 1000 characters/],
    ['message', { message: { 'es-CO': 'x'.repeat(1001) } }, /1 to 1000 characters/],
    ['title', { title: { 'es-CO': 'x'.repeat(101) } }, /1 to 100 characters/],
    ['advice', { advice: { 'es-CO': 'x'.repeat(301) } }, /1 to 300 characters/],
    ['media', { media: ['fax'] }, /media/],
    ['media', { media: [] }, /media should not be empty/],
    ['occurredAt', { occurredAt: '2026-11-25T10:00:00' }, /with an offset/],
    ['occurredAt', { occurredAt: '2026-02-30T10:00:00Z' }, /ISO 8601/],
    ['occurredAt', { occurredAt: 1764064800 }, /occurredAt/],
    ['extra', { extra: true }, /should not exist/],
  ])('explains a bad %s', async (field, override, reason) => {
    await expectProblem({ ...eventBody(), ...override }, field, reason);
  });

  it('reports a missing field by name', async () => {
    const { severity: _severity, ...body } = eventBody();
    await expectProblem(body, 'severity', /severity/);
  });

  it('answers malformed JSON with 400 problem JSON', async () => {
    const res = await sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .set('Content-Type', 'application/json')
      .send('{"id": "evt-1",');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toContain('malformed-body');
  });

  it.each([
    ['a JSON array', '[]', 'application/json'],
    ['a JSON string', '"hello"', 'application/json'],
    ['plain text', 'hello', 'text/plain'],
    ['no body', '', 'application/json'],
  ])('answers %s with a 4xx problem, never a 500', async (_label, payload, type) => {
    const res = await sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .set('Content-Type', type)
      .send(payload);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a body over MAX_BODY_BYTES with 413', async () => {
    const res = await post(
      eventBody({
        message: { 'es-CO': 'x'.repeat(1000), en: 'y'.repeat(1000) },
        advice: { 'es-CO': 'z'.repeat(9000) },
      }),
    );
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 401 without a key and 403 with a key lacking the scope', async () => {
    const unauthenticated = await sut.http.post('/v1/events').send(eventBody()).expect(401);
    expect(unauthenticated.headers['content-type']).toMatch(/^application\/problem\+json/);
    const forbidden = await sut.http
      .post('/v1/events')
      .set('Authorization', reader)
      .send(eventBody())
      .expect(403);
    expect(forbidden.body.detail).toMatch(/events:write/);
    await sut.http.get('/v1/incidents').set('Authorization', writer).expect(403);
    await sut.http.get('/v1/incidents').expect(401);
  });

  it('answers unknown and malformed incident and notice ids with 404', async () => {
    for (const path of ['/v1/incidents/', '/v1/notices/']) {
      for (const id of ['not-a-uuid', randomUUID(), "1' OR '1'='1"]) {
        const res = await sut.http.get(path + encodeURIComponent(id)).set('Authorization', reader);
        expect({ path, id, status: res.status }).toEqual({ path, id, status: 404 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
  });

  it('explains a bad listing cursor, limit or status', async () => {
    const list = (query: string) =>
      sut.http.get(`/v1/incidents?${query}`).set('Authorization', reader).expect(400);
    expect((await list('cursor=bogus')).body.errors).toEqual([
      { field: 'cursor', reason: expect.any(String) },
    ]);
    expect((await list('limit=0')).body.errors).toContainEqual({
      field: 'limit',
      reason: expect.any(String),
    });
    expect((await list('limit=abc')).body.errors).toContainEqual({
      field: 'limit',
      reason: expect.any(String),
    });
    expect((await list('status=closed')).body.errors).toContainEqual({
      field: 'status',
      reason: expect.any(String),
    });
  });

  it('checks preview bodies by the same rules', async () => {
    const res = await sut.http
      .post('/v1/audience/preview')
      .set('Authorization', reader)
      .send(eventBody({ channels: [{ id: 'telepathy', status: 'down' }] }))
      .expect(400);
    expect(res.body.errors).toContainEqual({
      field: 'channels[0].id',
      reason: expect.stringContaining(VALID_CHANNELS),
    });
  });
});
