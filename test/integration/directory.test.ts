import { sql } from 'kysely';
import { startTestApi, TestApi } from '../support/test-api';
import { directoryRows } from '../support/directory-rows';

const customer = {
  locale: 'en',
  timeZone: 'America/Bogota',
  region: 'antioquia',
  phone: '+573001234567',
  devices: [
    { token: 'fcm-token-a', platform: 'android', lastSeen: '2026-11-20T12:00:00Z' },
    { token: 'fcm-token-b', platform: 'ios' },
  ],
  consent: { push: true, sms: false },
  channels: { 'mobile-app': '2026-11-20T12:00:00Z', 'interbank-transfers': '2026-10-01T03:00:00-05:00' },
};

describe('Customer directory: PUT and DELETE /v1/customers/{id}', () => {
  let sut: TestApi;
  let auth: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    auth = await sut.bearer('customers:write');
  });
  afterAll(() => sut.close());

  it('stores the customer with their devices and channel activity and answers with what it stored', async () => {
    const res = await sut.http
      .put('/v1/customers/C0000001')
      .set('Authorization', auth)
      .send(customer)
      .expect(200);

    expect(res.body).toEqual({
      id: 'C0000001',
      locale: 'en',
      timeZone: 'America/Bogota',
      region: 'antioquia',
      phone: '+573001234567',
      devices: [
        { token: 'fcm-token-a', platform: 'android', lastSeen: '2026-11-20T12:00:00.000Z' },
        { token: 'fcm-token-b', platform: 'ios' },
      ],
      consent: { push: true, sms: false },
      channels: {
        'interbank-transfers': '2026-10-01T08:00:00.000Z',
        'mobile-app': '2026-11-20T12:00:00.000Z',
      },
      updatedAt: expect.any(String),
    });
    const rows = await directoryRows(sut.db, 'C0000001');
    expect(rows.customer).toMatchObject({
      locale: 'en',
      time_zone: 'America/Bogota',
      region: 'antioquia',
      phone: '+573001234567',
      consent_push: true,
      consent_sms: false,
      channels: {
        'interbank-transfers': Date.parse('2026-10-01T08:00:00Z'),
        'mobile-app': Date.parse('2026-11-20T12:00:00Z'),
      },
      has_device: true,
    });
    expect(rows.devices).toEqual([
      { token: 'fcm-token-a', platform: 'android', last_seen: new Date('2026-11-20T12:00:00Z') },
      { token: 'fcm-token-b', platform: 'ios', last_seen: null },
    ]);
  });

  it('replaces devices and channel activity on the next PUT, and defaults what is left out', async () => {
    await sut.http.put('/v1/customers/C0000002').set('Authorization', auth).send(customer).expect(200);
    await sut.http
      .put('/v1/customers/C0000002')
      .set('Authorization', auth)
      .send({
        devices: [{ token: 'fcm-token-new', platform: 'web' }],
        channels: { 'call-center': '2026-11-01T00:00:00Z' },
      })
      .expect(200);

    const rows = await directoryRows(sut.db, 'C0000002');
    expect(rows.customer).toMatchObject({
      locale: 'es-CO',
      time_zone: 'America/Bogota',
      region: null,
      phone: null,
      consent_push: false,
      consent_sms: false,
      channels: { 'call-center': Date.parse('2026-11-01T00:00:00Z') },
      has_device: true,
    });
    expect(rows.devices.map((d) => d.token)).toEqual(['fcm-token-new']);
  });

  it('stores ids and tokens exactly, quotes, backslashes and all', async () => {
    const tokens = ['NULL', 'a"b', 'c\\d', '{e,f}'];
    const res = await sut.http
      .put('/v1/customers/C.0_1-x')
      .set('Authorization', auth)
      .send({ devices: tokens.map((token) => ({ token, platform: 'web' })) })
      .expect(200);

    expect(res.body.devices.map((d: { token: string }) => d.token)).toEqual([...tokens].sort());
    expect((await directoryRows(sut.db, 'C.0_1-x')).devices.map((d) => d.token)).toEqual([...tokens].sort());
  });

  it('answers several bad fields with one problem naming each field and reason, and stores nothing', async () => {
    const res = await sut.http
      .put('/v1/customers/C0000003')
      .set('Authorization', auth)
      .send({
        ...customer,
        locale: 'fr',
        phone: '+5730012',
        devices: [{ token: 'tok', platform: 'blackberry' }],
        channels: { 'mobile-app': 'last tuesday' },
      })
      .expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, type: 'https://aviso.dev/problems/validation-failed' });
    expect(res.body.errors).toEqual([
      { field: 'locale', reason: 'must be one of: es-CO, en' },
      { field: 'phone', reason: 'is not a valid phone number' },
      { field: 'devices[0].platform', reason: 'must be one of: android, ios, web' },
      {
        field: 'channels.mobile-app',
        reason: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-20T12:00:00Z',
      },
    ]);
    expect(await directoryRows(sut.db, 'C0000003')).toEqual({ customer: undefined, devices: [] });
  });

  it('names the valid channels when a channel is unknown', async () => {
    const res = await sut.http
      .put('/v1/customers/C0000004')
      .set('Authorization', auth)
      .send({ channels: { 'crypto-wallet': '2026-11-20T12:00:00Z' } })
      .expect(400);
    expect(res.body.errors).toEqual([
      {
        field: 'channels.crypto-wallet',
        reason: expect.stringMatching(
          /^is not a known channel; valid channels: mobile-app, online-banking, .*call-center$/,
        ),
      },
    ]);
  });

  it('refuses an invalid path id and a body id that differs from it', async () => {
    const long = await sut.http
      .put(`/v1/customers/${'x'.repeat(65)}`)
      .set('Authorization', auth)
      .send({})
      .expect(400);
    expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(['id']);
    const other = await sut.http
      .put('/v1/customers/C0000005')
      .set('Authorization', auth)
      .send({ id: 'C9' })
      .expect(400);
    expect(other.body.errors).toEqual([{ field: 'id', reason: 'must match the id in the path' }]);
  });

  it('moves a device token to the customer who lists it now', async () => {
    const shared = { token: 'shared-phone', platform: 'android' };
    const own = { token: 'own', platform: 'ios' };
    const listDevices = (id: string, devices: object[]) =>
      sut.http.put(`/v1/customers/${id}`).set('Authorization', auth).send({ devices }).expect(200);
    await listDevices('C0000006', [shared, own]);
    await listDevices('C0000007', [shared]);

    expect((await directoryRows(sut.db, 'C0000006')).devices.map((d) => d.token)).toEqual(['own']);
    expect((await directoryRows(sut.db, 'C0000007')).devices.map((d) => d.token)).toEqual(['shared-phone']);

    await listDevices('C0000007', [shared, own]);
    const left = await directoryRows(sut.db, 'C0000006');
    expect(left.devices).toEqual([]);
    expect(left.customer?.has_device).toBe(false);
    expect((await directoryRows(sut.db, 'C0000007')).customer?.has_device).toBe(true);
  });

  it('deletes a customer with their devices and channel activity, then answers 404', async () => {
    await sut.http.put('/v1/customers/C0000008').set('Authorization', auth).send(customer).expect(200);
    await sut.http.delete('/v1/customers/C0000008').set('Authorization', auth).expect(204);

    expect(await directoryRows(sut.db, 'C0000008')).toEqual({ customer: undefined, devices: [] });
    const again = await sut.http.delete('/v1/customers/C0000008').set('Authorization', auth).expect(404);
    expect(again.body).toMatchObject({ status: 404, detail: 'Customer C0000008 does not exist.' });
  });

  it('needs an API key, and one with customers:write', async () => {
    await sut.http.put('/v1/customers/C0000009').send(customer).expect(401);
    await sut.http.delete('/v1/customers/C0000001').expect(401);
    await sut.http
      .post('/v1/customers/import')
      .set('Content-Type', 'application/x-ndjson')
      .send('{"id":"C1"}\n')
      .expect(401);

    const reader = await sut.bearer('events:write', 'incidents:read');
    await sut.http.put('/v1/customers/C0000009').set('Authorization', reader).send(customer).expect(403);
    await sut.http.delete('/v1/customers/C0000001').set('Authorization', reader).expect(403);
    await sut.http
      .post('/v1/customers/import')
      .set('Authorization', reader)
      .set('Content-Type', 'application/x-ndjson')
      .send('{"id":"C0000009"}\n')
      .expect(403);
    expect((await directoryRows(sut.db, 'C0000009')).customer).toBeUndefined();
    expect((await directoryRows(sut.db, 'C0000001')).customer).toBeDefined();
  });

  it('records who upserted and deleted whom in the audit log', async () => {
    const admin = await sut.bearer('admin');
    await sut.http.put('/v1/customers/C0000010').set('Authorization', admin).send(customer).expect(200);
    await sut.http.delete('/v1/customers/C0000010').set('Authorization', admin).expect(204);

    const entries = await sut.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('target', '=', 'C0000010')
      .orderBy('id')
      .execute();
    const actor = expect.stringMatching(/^key:[a-z0-9]{12}:test$/);
    expect(entries).toEqual([
      {
        actor,
        action: 'customer.upsert',
        detail: { devices: 2, channels: ['mobile-app', 'interbank-transfers'] },
      },
      { actor, action: 'customer.delete', detail: null },
    ]);
  });

  it('stores nothing when the audit entry cannot be written: the write and its record commit together', async () => {
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(sut.db);
    try {
      await sut.http.put('/v1/customers/C0000011').set('Authorization', auth).send(customer).expect(500);
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(sut.db);
    }
    expect(await directoryRows(sut.db, 'C0000011')).toEqual({ customer: undefined, devices: [] });
  });

  it('describes its endpoints in the OpenAPI document, with the bearer key', async () => {
    const { body } = await sut.http.get('/docs/openapi.json').expect(200);
    const put = body.paths['/v1/customers/{id}'].put;
    expect(put.security).toEqual([{ bearer: [] }]);
    expect(put.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CustomerDto');
    expect(body.paths['/v1/customers/{id}'].delete.responses['204']).toBeDefined();
    const importOp = body.paths['/v1/customers/import'].post;
    expect(Object.keys(importOp.requestBody.content)).toEqual(['application/x-ndjson']);
    expect(importOp.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ImportSummaryDto',
    );
    expect(Object.keys(body.components.schemas.CustomerDto.properties)).toEqual([
      'id',
      'locale',
      'timeZone',
      'region',
      'phone',
      'devices',
      'consent',
      'channels',
    ]);
  });
});
