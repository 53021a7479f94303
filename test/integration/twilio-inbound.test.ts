import twilio from 'twilio';
import { CustomerFactory } from '../support/customer-factory';
import { startTestApi, TestApi } from '../support/test-api';

const AUTH_TOKEN = 'inbound-test-token';
const PUBLIC_BASE_URL = 'https://aviso.bank.test';
const PATH = '/v1/providers/twilio/inbound';
const PHONE = '+573001112233';

describe('Inbound SMS keywords', () => {
  let sut: TestApi;
  let customers: CustomerFactory;

  beforeAll(async () => {
    sut = await startTestApi('postgres', {
      PUBLIC_BASE_URL,
      TWILIO_BASE_URL: 'http://127.0.0.1:9',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
    });
    customers = new CustomerFactory(sut.db);
  });
  afterAll(() => sut?.close());

  let sequence = 0;
  /** A message as Twilio posts it, signed with the account's token against the public URL. */
  const reply = (body: string, from = PHONE, token = AUTH_TOKEN) => {
    const form = {
      MessageSid: `SM${String(++sequence).padStart(32, '0')}`,
      From: from,
      To: '+15005550006',
      Body: body,
    };
    const signature = twilio.getExpectedTwilioSignature(token, `${PUBLIC_BASE_URL}${PATH}`, form);
    return sut.http.post(PATH).type('form').set('X-Twilio-Signature', signature).send(form);
  };
  const smsConsent = async (id: string) =>
    (
      await sut.db
        .selectFrom('customers')
        .select('consent_sms')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).consent_sms;
  const audit = (id: string) =>
    sut.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('target', '=', id)
      .orderBy('id')
      .execute();

  it.each(['STOP', ' parar ', 'Cancelar', 'baja\n'])(
    'revokes SMS consent of every customer with the number on %j, answers empty TwiML, and audits it',
    async (keyword) => {
      const phone = `+5730011${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
      const [a, b] = await customers.insertMany([{ phone }, { phone }]);
      const other = await customers.newCustomer({ phone: '+573009998877' });

      const res = await reply(keyword, phone).expect(200);

      expect(res.headers['content-type']).toContain('text/xml');
      expect(res.text).toMatch(/<Response\/>|<Response><\/Response>/);
      expect([await smsConsent(a.id), await smsConsent(b.id), await smsConsent(other.id)]).toEqual([
        false,
        false,
        true,
      ]);
      expect(await audit(a.id)).toEqual([
        {
          actor: 'provider:twilio',
          action: 'customer.sms-consent.revoke',
          detail: {
            source: 'sms-reply',
            keyword: keyword.trim().toUpperCase(),
            messageSid: expect.any(String),
          },
        },
      ]);
    },
  );

  it('restores consent on START or ALTA, ignores other words, and audits only changes', async () => {
    const customer = await customers.newCustomer({ phone: PHONE, consent: { sms: false } });
    await reply('gracias').expect(200);
    expect(await smsConsent(customer.id)).toBe(false);
    await reply(' alta ').expect(200);
    expect(await smsConsent(customer.id)).toBe(true);
    await reply('STOP').expect(200);
    await reply('Start').expect(200);
    await reply('START').expect(200); // changes nothing: not audited
    expect(await smsConsent(customer.id)).toBe(true);
    expect((await audit(customer.id)).map((e) => e.action)).toEqual([
      'customer.sms-consent.restore',
      'customer.sms-consent.revoke',
      'customer.sms-consent.restore',
    ]);
  });

  it('refuses an unsigned or wrongly signed request with 403 and changes nothing', async () => {
    const customer = await customers.newCustomer({ phone: '+573004445566' });
    const forged = await reply('STOP', '+573004445566', 'someone-else').expect(403);
    expect(forged.body).toMatchObject({ status: 403 });
    await sut.http.post(PATH).type('form').send({ From: '+573004445566', Body: 'STOP' }).expect(403);
    await sut.http.post(PATH).send({ From: '+573004445566', Body: 'STOP' }).expect(415);
    expect(await smsConsent(customer.id)).toBe(true);
    expect(await audit(customer.id)).toEqual([]);
  });
});
