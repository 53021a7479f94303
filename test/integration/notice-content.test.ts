import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);
const STATUS_PAGE_URL = 'https://estado.banco.test';

function smsTo(stack: TestStack, phone: string) {
  return stack.sims.twilio
    .received()
    .records.filter((r) => r.status === 201 && r.to === phone)
    .map((r) => ({ body: r.body, segments: r.numSegments }));
}
function pushTo(stack: TestStack, token: string) {
  return stack.sims.fcm
    .received()
    .records.filter((r) => r.status === 200 && r.token === token)
    .map((r) => (r.message as { notification: { title: string; body: string } }).notification);
}

describe('Notice content: templates and SMS that fit', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack({ env: { STATUS_PAGE_URL } });
    await sut.customers.insertMany([
      {
        id: 'T1',
        phone: '+573008880001',
        devices: [],
        channels: { 'interbank-transfers': recently(), 'atm-network': recently() },
      },
      { id: 'T2', locale: 'en', phone: null, devices: ['tok-T2'], channels: { 'mobile-app': recently() } },
    ]);
  });
  afterAll(() => sut.close());
  beforeEach(() => {
    sut.sims.fcm.reset();
    sut.sims.twilio.reset();
  });

  it('sends an accented Spanish message as one GSM-7 segment', async () => {
    const { noticeId } = await sut.postEvent(
      eventBody({
        incidentRef: 'INC-CONTENT-1',
        channels: [{ id: 'interbank-transfers', status: 'down' }],
        message: { 'es-CO': 'Las transferencias están fallando.' },
        title: { 'es-CO': 'Falla en transferencias' },
        assurances: ['funds-safe'],
      }),
    );
    await sut.waitForNotice(noticeId, 'done');

    const [sms] = smsTo(sut, '+573008880001');
    expect(sms).toEqual({
      body:
        'Falla en transferencias: Las transferencias estan fallando. Tu dinero esta seguro. Nunca te pediremos ' +
        'claves ni codigos. Info: https://estado.banco.test',
      segments: 1,
    });
    const row = await sut.db
      .selectFrom('deliveries')
      .select(['segments', 'state'])
      .where('notice_id', '=', noticeId)
      .where('customer_id', '=', 'T1')
      .executeTakeFirstOrThrow();
    expect(row.segments).toBe(1);
  });

  it("lets the template speak of each customer's own channels, with the next update on their clock", async () => {
    const { noticeId } = await sut.postEvent(
      eventBody({
        incidentRef: 'INC-CONTENT-2',
        severity: 'critical',
        channels: [
          { id: 'interbank-transfers', status: 'down' },
          { id: 'mobile-app', status: 'down' },
        ],
        message: undefined,
        assurances: ['funds-safe', 'no-cyberattack'],
        nextUpdateAt: '2026-12-03T15:00:00Z',
      }),
    );
    await sut.waitForNotice(noticeId, 'done');

    // Over one segment with everything: the assurances and the next update give way; the push keeps them.
    expect(smsTo(sut, '+573008880001')).toEqual([
      {
        body:
          'Falla en Transferencias interbancarias: Trabajamos para restablecerlo. Nunca te pediremos claves ni ' +
          'codigos. Info: https://estado.banco.test',
        segments: 1,
      },
    ]);
    expect(pushTo(sut, 'tok-T2')).toEqual([
      {
        title: 'Mobile app disrupted',
        body:
          'We are working to restore it. Your money is safe. This is not a cyberattack. Next update: Dec 3, ' +
          '10:00 AM We will never ask for your passwords or codes. Info: https://estado.banco.test',
      },
    ]);
  });

  it('refuses an unknown assurance as problem JSON, storing nothing', async () => {
    const res = await sut.http
      .post('/v1/events')
      .set('Authorization', sut.admin)
      .send(eventBody({ incidentRef: 'INC-CONTENT-3', assurances: ['all-good'] }))
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([
      {
        field: 'assurances[0]',
        reason: 'unknown assurance all-good; known assurances: funds-safe, no-cyberattack, no-data-exposed',
      },
    ]);
    const incidents = await sut.db
      .selectFrom('incidents')
      .select('ref')
      .where('ref', '=', 'INC-CONTENT-3')
      .execute();
    expect(incidents).toEqual([]);
  });
});
