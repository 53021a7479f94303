import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { syntheticCustomers } from '../../src/directory/synthetic-directory';
import {
  countChannelUses,
  countRows,
  directoryRows,
  hasDeviceMismatches,
  streamImport,
} from '../support/directory-rows';
import { startTestApi, TestApi } from '../support/test-api';

const ndjson = (...lines: unknown[]) =>
  lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');
const now = new Date('2026-12-01T00:00:00Z');

describe('Customer directory: POST /v1/customers/import', () => {
  let sut: TestApi;
  let auth: string;
  const post = (body: string, contentType = 'application/x-ndjson') =>
    sut.http
      .post('/v1/customers/import')
      .set('Authorization', auth)
      .set('Content-Type', contentType)
      .send(body);

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    auth = await sut.bearer('customers:write');
  });
  afterAll(() => sut.close());

  it('stores the valid lines and reports each invalid one by line number', async () => {
    const body = ndjson(
      { id: 'I1', phone: '+573001234567', channels: { 'mobile-app': '2026-11-20T12:00:00Z' } },
      '{"id": "I2", "locale": ',
      '',
      { id: 'I4', phone: '+5730012345' },
      { id: 'I5', channels: { 'carrier-pigeon': '2026-11-20T12:00:00Z' } },
      { id: 'I6', locale: 'pt-BR' },
      { locale: 'en' },
      { id: 'I8', region: 'x'.repeat(70 * 1024) },
      { id: 'I9', devices: [{ token: 'tok-i9', platform: 'ios' }] },
    );

    const res = await post(body).expect(200);

    expect(res.body).toEqual({
      accepted: 2,
      rejected: 6,
      errors: [
        { line: 2, errors: [{ field: '', reason: expect.stringMatching(/^is not valid JSON: /) }] },
        { line: 4, errors: [{ field: 'phone', reason: 'is not a valid phone number' }] },
        {
          line: 5,
          errors: [
            {
              field: 'channels.carrier-pigeon',
              reason: expect.stringMatching(/^is not a known channel; valid channels: /),
            },
          ],
        },
        { line: 6, errors: [{ field: 'locale', reason: 'must be one of: es-CO, en' }] },
        { line: 7, errors: [{ field: 'id', reason: 'is required' }] },
        { line: 8, errors: [{ field: '', reason: 'line is longer than 65536 bytes' }] },
      ],
    });
    expect((await directoryRows(sut.db, 'I1')).customer?.channels).toEqual({
      'mobile-app': Date.parse('2026-11-20T12:00:00Z'),
    });
    expect((await directoryRows(sut.db, 'I9')).devices.map((d) => d.token)).toEqual(['tok-i9']);
    for (const id of ['I2', 'I4', 'I5', 'I6', 'I8'])
      expect((await directoryRows(sut.db, id)).customer).toBeUndefined();
  });

  it('reports a bad customer with exactly the errors a PUT of it gets', async () => {
    const bad = { locale: 'fr', devices: [{ token: 't', platform: 'nokia' }], consent: { sms: 'yes' } };
    const put = await sut.http.put('/v1/customers/I10').set('Authorization', auth).send(bad).expect(400);
    const imported = await post(ndjson({ id: 'I10', ...bad })).expect(200);
    expect(imported.body.errors).toEqual([{ line: 1, errors: put.body.errors }]);
  });

  it('lets the later line win when an id appears twice', async () => {
    const res = await post(
      ndjson(
        { id: 'I20', locale: 'es-CO', devices: [{ token: 'tok-old', platform: 'android' }] },
        { id: 'I21' },
        { id: 'I20', locale: 'en', devices: [{ token: 'tok-new', platform: 'ios' }] },
      ),
    ).expect(200);

    expect(res.body).toEqual({ accepted: 3, rejected: 0, errors: [] });
    const rows = await directoryRows(sut.db, 'I20');
    expect(rows.customer?.locale).toBe('en');
    expect(rows.devices.map((d) => d.token)).toEqual(['tok-new']);
  });

  it('replaces the devices and channel activity of customers that already exist', async () => {
    await post(
      ndjson({
        id: 'I25',
        devices: [
          { token: 'tok-kept', platform: 'android' },
          { token: 'tok-dropped', platform: 'ios' },
        ],
        channels: { 'mobile-app': '2026-11-01T00:00:00Z', 'atm-network': '2026-10-01T00:00:00Z' },
      }),
    ).expect(200);
    await post(
      ndjson({
        id: 'I25',
        devices: [
          { token: 'tok-kept', platform: 'android' },
          { token: 'tok-added', platform: 'web' },
        ],
        channels: { 'mobile-app': '2026-11-20T00:00:00Z', 'qr-payments': '2026-11-19T00:00:00Z' },
      }),
    ).expect(200);

    const rows = await directoryRows(sut.db, 'I25');
    expect(rows.devices.map((d) => d.token)).toEqual(['tok-added', 'tok-kept']);
    expect(rows.customer?.channels).toEqual({
      'mobile-app': Date.parse('2026-11-20T00:00:00Z'),
      'qr-payments': Date.parse('2026-11-19T00:00:00Z'),
    });
    expect(rows.customer?.has_device).toBe(true);

    await post(ndjson({ id: 'I25' })).expect(200);
    const emptied = await directoryRows(sut.db, 'I25');
    expect(emptied.devices).toEqual([]);
    expect(emptied.customer).toMatchObject({ channels: {}, has_device: false });
  });

  it('moves a device token to the customer that lists it, from the database and within the file', async () => {
    await post(ndjson({ id: 'I30', devices: [{ token: 'tok-moving', platform: 'android' }] })).expect(200);
    await post(
      ndjson(
        { id: 'I31', devices: [{ token: 'tok-moving', platform: 'android' }] },
        { id: 'I32', devices: [{ token: 'tok-contested', platform: 'ios' }] },
        { id: 'I33', devices: [{ token: 'tok-contested', platform: 'ios' }] },
      ),
    ).expect(200);

    const owners = await Promise.all(['I30', 'I31', 'I32', 'I33'].map((id) => directoryRows(sut.db, id)));
    expect(owners.map((o) => o.devices.map((d) => d.token))).toEqual([
      [],
      ['tok-moving'],
      [],
      ['tok-contested'],
    ]);
    expect(owners.map((o) => o.customer?.has_device)).toEqual([false, true, false, true]);
  });

  it('lists only the first 100 rejected lines but counts them all', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => ({ id: `bad-${i}`, locale: 'xx' }));
    const res = await post(ndjson(...lines)).expect(200);
    expect(res.body.rejected).toBe(150);
    expect(res.body.errors).toHaveLength(100);
    expect(res.body.errors[99].line).toBe(100);
  });

  it('answers any other content type with a 415 problem and stores nothing', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const res = await post(ndjson({ id: 'I40' }), type).expect(415);
      expect(res.body).toMatchObject({
        status: 415,
        type: 'https://aviso.dev/problems/unsupported-media-type',
      });
    }
    expect((await directoryRows(sut.db, 'I40')).customer).toBeUndefined();
  });

  it('records one audit entry per import with its counts', async () => {
    const admin = await sut.bearer('admin');
    await sut.http
      .post('/v1/customers/import')
      .set('Authorization', admin)
      .set('Content-Type', 'application/x-ndjson; charset=utf-8')
      .send(ndjson({ id: 'I50' }, { id: 'I51' }, 'nope'))
      .expect(200);

    const entries = await sut.db
      .selectFrom('audit_log')
      .select(['actor', 'target', 'detail'])
      .where('action', '=', 'customers.import')
      .where('actor', 'like', `key:${admin.slice('Bearer avk_'.length, 'Bearer avk_'.length + 12)}:%`)
      .execute();
    expect(entries).toEqual([
      {
        actor: expect.any(String),
        target: 'customers',
        detail: { accepted: 2, rejected: 1, complete: true },
      },
    ]);
  });

  it('stores nothing of a batch whose audit entry cannot be written', async () => {
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(sut.db);
    try {
      await post(ndjson({ id: 'I60' }, { id: 'I61' })).expect(500);
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(sut.db);
    }
    expect((await directoryRows(sut.db, 'I60')).customer).toBeUndefined();
    expect((await directoryRows(sut.db, 'I61')).customer).toBeUndefined();
  });

  it('streams 20,000 generated customers across several batches and stores every one', async () => {
    const generated = [...syntheticCustomers({ count: 20_000, seed: 7, now })];
    const before = {
      customers: await countRows(sut.db, 'customers'),
      devices: await countRows(sut.db, 'devices'),
      channels: await countChannelUses(sut.db),
    };
    const lines = (function* () {
      for (const customer of syntheticCustomers({ count: 20_000, seed: 7, now }))
        yield `${JSON.stringify(customer)}\n`;
    })();

    const res = await streamImport(sut, auth, Readable.from(lines));

    expect(res).toEqual({ status: 200, body: { accepted: 20_000, rejected: 0, errors: [] } });
    expect(await countRows(sut.db, 'customers')).toBe(before.customers + 20_000);
    expect(await countRows(sut.db, 'devices')).toBe(
      before.devices + generated.reduce((n, c) => n + c.devices.length, 0),
    );
    expect(await countChannelUses(sut.db)).toBe(
      before.channels + generated.reduce((n, c) => n + Object.keys(c.channels).length, 0),
    );
    const last = generated[generated.length - 1];
    const rows = await directoryRows(sut.db, last.id);
    expect(rows.customer?.phone ?? undefined).toBe(last.phone);
    expect(rows.devices.map((d) => d.token)).toEqual(last.devices.map((d) => d.token).sort());
    expect(await hasDeviceMismatches(sut.db)).toBe(0);
  });
});
