import { CustomerFactory } from '../support/customer-factory';
import { eventBody } from '../support/event-factory';
import { zoneAt } from '../support/time-zones';
import { startTestApi, TestApi } from '../support/test-api';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);

describe('Audience preview: what would be sent', () => {
  let sut: TestApi;
  let reader: string;
  beforeAll(async () => {
    sut = await startTestApi('postgres', {
      QUIET_HOURS: '21:00-07:00',
      QUIET_HOURS_SEVERITIES: 'minor,major',
      SMS_SEGMENT_COST: '0.0075',
      STATUS_PAGE_URL: 'https://estado.banco.test',
    });
    reader = await sut.bearer('incidents:read');
    const channels = { 'interbank-transfers': recently() };
    await new CustomerFactory(sut.db).insertMany([
      // Two Spanish readers by SMS only, one of them at 03:00; one English reader by push and SMS.
      { id: 'V1', timeZone: zoneAt(12).zone, phone: '+573007770001', devices: [], channels },
      { id: 'V2', timeZone: zoneAt(3).zone, phone: '+573007770002', devices: [], channels },
      { id: 'V3', locale: 'en', timeZone: zoneAt(12).zone, phone: '+573007770003', devices: 1, channels },
    ]);
  });
  afterAll(() => sut.close());

  const preview = (body: object) =>
    sut.http.post('/v1/audience/preview').set('Authorization', reader).send(body).expect(200);

  it('renders each locale for a sample customer, with encoding, segments, totals, holds and cost', async () => {
    const res = await preview(
      eventBody({
        severity: 'major',
        channels: [{ id: 'interbank-transfers', status: 'down' }],
        message: undefined,
        assurances: ['funds-safe'],
      }),
    );
    expect(res.body.messages).toEqual([
      {
        locale: 'en',
        sampleCustomerId: 'V3',
        push: {
          title: 'Interbank transfers disrupted',
          body: 'We are working to restore it. Your money is safe. We will never ask for your passwords or codes. Info: https://estado.banco.test',
        },
        sms: {
          text: 'Interbank transfers disrupted: We are working to restore it. Your money is safe. We will never ask for your passwords or codes. Info: https://estado.banco.test',
          encoding: 'GSM-7',
          segments: 1,
          characters: 159,
          dropped: [],
        },
      },
      {
        locale: 'es-CO',
        sampleCustomerId: 'V1',
        push: {
          title: 'Falla en Transferencias interbancarias',
          body: 'Trabajamos para restablecerlo. Tu dinero está seguro. Nunca te pediremos claves ni códigos. Info: https://estado.banco.test',
        },
        sms: {
          // The SMS gives up the assurance to stay in one segment; the push keeps it.
          text: 'Falla en Transferencias interbancarias: Trabajamos para restablecerlo. Nunca te pediremos claves ni codigos. Info: https://estado.banco.test',
          encoding: 'GSM-7',
          segments: 1,
          characters: 140,
          dropped: ['assurance 1'],
        },
      },
    ]);
    // Major: V3 by push, V1 and V2 by SMS; V2 is at 03:00.
    expect(res.body.totals).toEqual({
      recipients: { push: 1, sms: 2 },
      heldByQuietHours: 1,
      smsSegments: 2,
      estimatedCost: 0.015,
    });
  });

  it('counts both media for a critical notice, which quiet hours do not hold', async () => {
    const res = await preview(
      eventBody({ severity: 'critical', channels: [{ id: 'interbank-transfers', status: 'down' }] }),
    );
    expect(res.body.totals).toEqual({
      recipients: { push: 1, sms: 3 },
      heldByQuietHours: 0,
      smsSegments: 3,
      estimatedCost: 0.0225,
    });
  });
});
