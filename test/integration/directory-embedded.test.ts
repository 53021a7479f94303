import { syntheticCustomers } from '../../src/directory/synthetic-directory';
import { countRows, directoryRows } from '../support/directory-rows';
import { startTestApi, TestApi } from '../support/test-api';

describe('Customer directory on the embedded database', () => {
  let sut: TestApi;
  let auth: string;

  beforeAll(async () => {
    sut = await startTestApi('embedded');
    auth = await sut.bearer('customers:write');
  });
  afterAll(() => sut.close());

  it('upserts and deletes a customer with PUT and DELETE', async () => {
    await sut.http
      .put('/v1/customers/E1')
      .set('Authorization', auth)
      .send({
        phone: '+573101234567',
        devices: [{ token: 'tok-e1', platform: 'android' }],
        consent: { push: true },
        channels: { 'bill-payments': '2026-11-02T10:00:00Z' },
      })
      .expect(200);
    const rows = await directoryRows(sut.db, 'E1');
    expect(rows.customer).toMatchObject({
      phone: '+573101234567',
      consent_push: true,
      consent_sms: false,
      channels: { 'bill-payments': Date.parse('2026-11-02T10:00:00Z') },
      has_device: true,
    });
    expect(rows.devices.map((d) => d.token)).toEqual(['tok-e1']);

    await sut.http.delete('/v1/customers/E1').set('Authorization', auth).expect(204);
    expect(await directoryRows(sut.db, 'E1')).toEqual({ customer: undefined, devices: [] });
  });

  it('imports several batches of generated customers, rejecting the bad lines', async () => {
    const lines = [
      ...syntheticCustomers({ count: 4_500, seed: 3, now: new Date('2026-12-01T00:00:00Z') }),
    ].map((c) => JSON.stringify(c));
    lines.splice(10, 0, '{"id": "broken"');
    lines.push(JSON.stringify({ id: 'E2', channels: { 'mobile-app': 'soon' } }));

    const res = await sut.http
      .post('/v1/customers/import')
      .set('Authorization', auth)
      .set('Content-Type', 'application/x-ndjson')
      .send(lines.join('\n'))
      .expect(200);

    expect(res.body).toEqual({
      accepted: 4_500,
      rejected: 2,
      errors: [
        { line: 11, errors: [{ field: '', reason: expect.stringMatching(/^is not valid JSON/) }] },
        { line: 4_502, errors: [{ field: 'channels.mobile-app', reason: expect.any(String) }] },
      ],
    });
    expect(await countRows(sut.db, 'customers')).toBe(4_500);
  });
});
