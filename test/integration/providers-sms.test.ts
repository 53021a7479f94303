import { Logger } from '@nestjs/common';
import twilio from 'twilio';
import { envSchema } from '../../src/config/config.schema';
import { resolveSmsSettings } from '../../src/providers/provider-settings';
import { SmsSender } from '../../src/providers/sms/sms-sender';
import { TwilioSimulator } from '../../src/simulators/twilio-simulator';
import { callbackReceiver } from '../support/callback-receiver';
import { until } from '../support/until';

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'sms-test-token';
const TIMEOUT_MS = 1_000;
const PUBLIC_CALLBACK = 'https://aviso.bank.example/v1/providers/twilio/status?notice=n-1';

describe(SmsSender.name, () => {
  let sim: TwilioSimulator;
  let receiver: Awaited<ReturnType<typeof callbackReceiver>>;
  let open: (vars?: Record<string, string>) => SmsSender;
  let sut: SmsSender;

  beforeAll(async () => {
    Logger.overrideLogger(false); // failures here are expected; their masking is tested in providers-module
    receiver = await callbackReceiver();
    sim = new TwilioSimulator({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      callbackOrigin: receiver.origin,
    });
    const url = await sim.listen();
    open = (vars = {}) => {
      const env = envSchema.parse({
        TWILIO_BASE_URL: url,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+15005550006',
        SMS_SEND_TIMEOUT_MS: String(TIMEOUT_MS),
        ...vars,
      });
      return SmsSender.open(resolveSmsSettings(env)!);
    };
    sut = open();
  });
  afterEach(() => sim.reset());
  afterAll(async () => {
    sut.close();
    await sim.close();
    await receiver.close();
  });

  it('sends through the twilio SDK and returns the sid and billed segments', async () => {
    const result = await sut.send({ to: '+573001234567', body: 'Aviso: la app tiene fallas.' });

    expect(result).toEqual({ ok: true, sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), segments: 1 });
    expect(sim.received().records).toEqual([
      expect.objectContaining({
        status: 201,
        to: '+573001234567',
        from: '+15005550006',
        messagingServiceSid: null,
        body: 'Aviso: la app tiene fallas.',
        statusCallback: null,
      }),
    ]);
  });

  it('bills a Spanish notice with "está" as UCS-2 segments', async () => {
    const body = `La app está con fallas. ${'Trabajamos en ello. '.repeat(3)}`; // 84 characters, one "á"
    expect(await sut.send({ to: '+573001234567', body })).toMatchObject({ ok: true, segments: 2 });
  });

  it('uses the Messaging Service when one is configured, which Twilio answers as accepted', async () => {
    const viaService = open({ TWILIO_MESSAGING_SERVICE_SID: `MG${'1'.repeat(32)}` });
    try {
      expect(await viaService.send({ to: '+573001234567', body: 'Hola' })).toMatchObject({ ok: true });
      expect(sim.received().records[0]).toMatchObject({
        from: null,
        messagingServiceSid: `MG${'1'.repeat(32)}`,
      });
    } finally {
      viaService.close();
    }
  });

  it.each([
    ['an invalid number', { invalidNumbers: ['+15550000001'] }, '+15550000001', 'permanent', '21211'],
    ['a number that is not E.164', {}, '3001234567', 'permanent', '21211'],
    ['a landline', { landlineNumbers: ['+15550000002'] }, '+15550000002', 'permanent', '21614'],
    [
      'a recipient who replied STOP',
      { unsubscribedNumbers: ['+15550000003'] },
      '+15550000003',
      'unsubscribed',
      '21610',
    ],
  ])('maps %s to %s', async (_what, settings, to, outcome, code) => {
    sim.configure(settings);
    expect(await sut.send({ to, body: 'Hola' })).toEqual({ ok: false, outcome, code });
  });

  it('reports a 429 as rate-limited with the Retry-After Twilio sent', async () => {
    sim.configure({ rateLimitRate: 1, retryAfterSeconds: 3 });
    const result = await sut.send({ to: '+573001234567', body: 'Hola' });
    expect(result).toEqual({ ok: false, outcome: 'rate-limited', code: '20429', retryAfterMs: 3000 });
    expect(sim.stats().count).toBe(1); // the SDK's autoRetry stays off: BullMQ owns retries
  });

  it.each([
    [503, '20503'],
    [500, '20500'],
  ])('reports a %i as transient, once', async (status, code) => {
    sim.configure({ errorRate: 1, errorStatus: status });
    expect(await sut.send({ to: '+573001234567', body: 'Hola' })).toEqual({
      ok: false,
      outcome: 'transient',
      code,
    });
    expect(sim.stats().count).toBe(1);
  });

  it('treats rejected credentials as transient: an operator fixes them, not the recipient', async () => {
    const wrong = open({ TWILIO_AUTH_TOKEN: 'not-the-token' });
    try {
      expect(await wrong.send({ to: '+573001234567', body: 'Hola' })).toEqual({
        ok: false,
        outcome: 'transient',
        code: '20003',
      });
    } finally {
      wrong.close();
    }
  });

  it('bounds a hanging Twilio by the per-request timeout', async () => {
    sim.configure({ hangRate: 1 });
    const started = Date.now();
    const result = await sut.send({ to: '+573001234567', body: 'Hola' });
    const elapsed = Date.now() - started;

    expect(result).toEqual({ ok: false, outcome: 'transient', code: 'ECONNABORTED' });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 500);
  });

  it('sends a batch with bounded concurrency and returns results in input order', async () => {
    sim.configure({ latencyMs: 20, unsubscribedNumbers: ['+15550000007'] });
    const items = Array.from({ length: 30 }, (_, i) => ({
      to: `+155500000${String(i).padStart(2, '0')}`,
      body: `n${i}`,
    }));

    const results = await sut.sendBatch(items, 4);

    expect(results.map((r) => (r.ok ? 'ok' : r.outcome))).toEqual(
      items.map((item) => (item.to === '+15550000007' ? 'unsubscribed' : 'ok')),
    );
    const bodies = sim.received().records.filter((r) => r.status === 201);
    expect(results.filter((r) => r.ok).map((r) => r.ok && r.sid)).toEqual(
      items.filter((i) => i.to !== '+15550000007').map((i) => bodies.find((b) => b.body === i.body)?.sid),
    );
    expect(sim.stats().maxInFlight).toBe(4);
  });

  describe('status callbacks', () => {
    afterEach(() => void receiver.received.splice(0));

    it('arrive signed for the public URL: sent, then delivered or undelivered with the error code', async () => {
      sim.configure({ deliveryFailures: { '+15550000009': { status: 'undelivered', errorCode: 30003 } } });
      const good = await sut.send({ to: '+573001234567', body: 'Hola', statusCallback: PUBLIC_CALLBACK });
      const bad = await sut.send({ to: '+15550000009', body: 'Hola', statusCallback: PUBLIC_CALLBACK });
      await until('four status callbacks', () => receiver.received.length === 4);

      const statuses = (sid: string) =>
        receiver.received.filter((c) => c.params.MessageSid === sid).map((c) => c.params.MessageStatus);
      // Like Twilio's, two callbacks for one message may arrive in either order on a busy machine.
      expect(statuses(good.ok ? good.sid : '').sort()).toEqual(['delivered', 'sent']);
      expect(statuses(bad.ok ? bad.sid : '').sort()).toEqual(['sent', 'undelivered']);
      const undelivered = receiver.received.find((c) => c.params.MessageStatus === 'undelivered');
      expect(undelivered?.params).toMatchObject({
        ErrorCode: '30003',
        To: '+15550000009',
        AccountSid: ACCOUNT_SID,
      });
      for (const callback of receiver.received) {
        expect(callback.path).toBe('/v1/providers/twilio/status?notice=n-1');
        expect(twilio.validateRequest(AUTH_TOKEN, callback.signature, PUBLIC_CALLBACK, callback.params)).toBe(
          true,
        );
      }
      await until('the simulator to count the answers', () => sim.stats().callbacks.delivered === 4);
      expect(sim.stats().callbacks).toEqual({ delivered: 4, failed: 0, refused: 0 });
    });

    it('fail validation when tampered with, signed with another token or checked against another URL', async () => {
      sim.configure({ deliveryFailures: { '+15550000009': { status: 'failed', errorCode: 30008 } } });
      await sut.send({ to: '+15550000009', body: 'Hola', statusCallback: PUBLIC_CALLBACK });
      await until('two status callbacks', () => receiver.received.length === 2);
      const final = receiver.received.find((c) => c.params.MessageStatus === 'failed');
      const { signature, params } = final ?? receiver.received[0];
      expect(params).toMatchObject({ MessageStatus: 'failed', ErrorCode: '30008' });

      const tampered = { ...params, MessageStatus: 'delivered' };
      expect(twilio.validateRequest(AUTH_TOKEN, signature, PUBLIC_CALLBACK, tampered)).toBe(false);
      expect(twilio.validateRequest('another-token', signature, PUBLIC_CALLBACK, params)).toBe(false);
      const loopback = `${receiver.origin}/v1/providers/twilio/status?notice=n-1`;
      expect(twilio.validateRequest(AUTH_TOKEN, signature, loopback, params)).toBe(false);
    });
  });
});
