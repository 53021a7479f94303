import { LOCAL_SIMULATOR } from '../../src/providers/provider-settings';
import { FcmSimulator } from '../../src/simulators/fcm-simulator';
import { ProviderSimulators, startProviderSimulators, twilioSignature } from '../../src/simulators';
import { ReceivedStats } from '../../src/simulators/received-log';
import { callbackReceiver } from '../support/callback-receiver';
import { until } from '../support/until';

const BASIC = `Basic ${Buffer.from(`${LOCAL_SIMULATOR.accountSid}:${LOCAL_SIMULATOR.authToken}`).toString('base64')}`;

describe('provider simulators', () => {
  let sims: ProviderSimulators;
  let fcmSend: (token: string, auth?: string) => Promise<Response>;
  let smsSend: (fields: Record<string, string>, auth?: string) => Promise<Response>;

  beforeAll(async () => {
    sims = await startProviderSimulators();
    fcmSend = (token, auth = 'Bearer t') =>
      fetch(`${sims.fcmUrl}/v1/projects/p/messages:send`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ message: { token, notification: { title: 'T', body: 'B' } } }),
      });
    smsSend = (fields, auth = BASIC) =>
      fetch(`${sims.twilioUrl}/2010-04-01/Accounts/${LOCAL_SIMULATOR.accountSid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
  });
  afterEach(async () => {
    await fetch(`${sims.fcmUrl}/__sim/reset`, { method: 'POST' });
    await fetch(`${sims.twilioUrl}/__sim/reset`, { method: 'POST' });
  });
  afterAll(() => sims.close());

  it('listen on loopback and answer FCM and Twilio requests as the providers do', async () => {
    expect(sims.fcmUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const push = await fcmSend('device-1');
    expect(push.status).toBe(200);
    expect(await push.json()).toEqual({ name: expect.stringMatching(/^projects\/p\/messages\/0:/) });

    const sms = await smsSend({ To: '+573001234567', From: '+15005550006', Body: 'Hola €' });
    expect(sms.status).toBe(201);
    expect(await sms.json()).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      account_sid: LOCAL_SIMULATOR.accountSid,
      status: 'queued',
      num_segments: '1',
      to: '+573001234567',
      from: '+15005550006',
      body: 'Hola €',
      date_created: expect.stringMatching(/\+0000$/),
      error_code: null,
    });
  });

  it("answer with each provider's error bodies", async () => {
    const unauthenticated = await fcmSend('device-1', '');
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({
      error: { code: 401, message: expect.any(String), status: 'UNAUTHENTICATED', details: [] },
    });
    sims.fcm.configure({ unregisteredTokens: ['gone'] });
    expect(await (await fcmSend('gone')).json()).toEqual({
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        status: 'NOT_FOUND',
        details: [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
        ],
      },
    });

    const badAuth = await smsSend(
      { To: '+573001234567', From: '+15005550006', Body: 'x' },
      'Basic bm9wZTpub3Bl',
    );
    expect(badAuth.status).toBe(401);
    expect(await badAuth.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    sims.twilio.configure({ rateLimitRate: 1, retryAfterSeconds: 4 });
    const limited = await smsSend({ To: '+573001234567', From: '+15005550006', Body: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    expect(await limited.json()).toMatchObject({ code: 20429, status: 429 });
  });

  it('are steered and inspected over their admin routes', async () => {
    const put = await fetch(`${sims.fcmUrl}/__sim/faults`, {
      method: 'PUT',
      body: JSON.stringify({ failNext: 2, failNextAs: 'rate-limit', retryAfterSeconds: 9 }),
    });
    expect(await put.json()).toMatchObject({ failNext: 2, failNextAs: 'rate-limit', retryAfterSeconds: 9 });

    const statuses = [];
    for (const token of ['a', 'b', 'c']) statuses.push((await fcmSend(token)).status);
    expect(statuses).toEqual([429, 429, 200]);

    const stats = (await (await fetch(`${sims.fcmUrl}/__sim/stats`)).json()) as ReceivedStats;
    expect(stats).toMatchObject({ count: 3, accepted: 1, byStatus: { 200: 1, 429: 2 }, recorded: 3 });
    expect(stats.lastAt).toBeGreaterThanOrEqual(stats.firstAt ?? Infinity);
    const received = (await (await fetch(`${sims.fcmUrl}/__sim/received?offset=2&limit=5`)).json()) as {
      records: unknown[];
    };
    expect(received.records).toEqual([
      expect.objectContaining({ token: 'c', status: 200, message: expect.objectContaining({ token: 'c' }) }),
    ]);

    expect((await fetch(`${sims.fcmUrl}/__sim/reset`, { method: 'POST' })).status).toBe(204);
    expect(await (await fetch(`${sims.fcmUrl}/__sim/stats`)).json()).toMatchObject({
      count: 0,
      firstAt: null,
    });
    expect(await (await fetch(`${sims.fcmUrl}/__sim/faults`)).json()).toMatchObject({ failNext: 0 });
  });

  it('refuse unknown or mistyped settings', async () => {
    const unknown = await fetch(`${sims.twilioUrl}/__sim/faults`, {
      method: 'PUT',
      body: '{"explode":true}',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: 'unknown setting explode' });
    const mistyped = await fetch(`${sims.twilioUrl}/__sim/faults`, {
      method: 'PUT',
      body: '{"hangRate":"all"}',
    });
    expect(mistyped.status).toBe(400);
    expect(() => sims.twilio.configure({ invalidNumbers: '+1' as unknown as string[] })).toThrow(/array/);
  });

  it('keep counting past the record cap without keeping more records', async () => {
    const capped = new FcmSimulator({ recordCap: 2 });
    await capped.listen();
    try {
      for (let i = 0; i < 5; i++) {
        await fetch(`${capped.url}/v1/projects/p/messages:send`, {
          method: 'POST',
          headers: { authorization: 'Bearer t' },
          body: JSON.stringify({ message: { token: `t${i}` } }),
        });
      }
      expect(capped.received()).toMatchObject({
        stats: { count: 5, accepted: 5, recorded: 2 },
        records: [{}, {}],
      });
    } finally {
      await capped.close();
    }
  });

  it('sign status callbacks but refuse to post them anywhere but loopback', async () => {
    const fields = { To: '+573001234567', From: '+15005550006', Body: 'Hola' };
    await smsSend({ ...fields, StatusCallback: 'https://aviso.bank.example/status' });
    await until('both callbacks to be refused', () => sims.twilio.stats().callbacks.refused === 2);
    expect(sims.twilio.stats().callbacks).toEqual({ delivered: 0, failed: 0, refused: 2 });
  });

  it('post status callbacks to an explicit callback origin on another host, signed for the URL the sender gave', async () => {
    // The compose file's case: the simulators post to http://api:3000. Here the other host is 127.0.0.2.
    const receiver = await callbackReceiver('127.0.0.2');
    const remote = await startProviderSimulators({ twilio: { callbackOrigin: receiver.origin } });
    try {
      const statusCallback = 'http://api:3000/v1/providers/twilio/status';
      await fetch(`${remote.twilioUrl}/2010-04-01/Accounts/${LOCAL_SIMULATOR.accountSid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          To: '+573001234567',
          From: '+15005550006',
          Body: 'Hola',
          StatusCallback: statusCallback,
        }),
      });
      await until('the callbacks to arrive', () => remote.twilio.stats().callbacks.delivered === 2);
      expect(receiver.received.map((r) => r.path)).toEqual([
        '/v1/providers/twilio/status',
        '/v1/providers/twilio/status',
      ]);
      for (const r of receiver.received) {
        expect(r.signature).toBe(twilioSignature(LOCAL_SIMULATOR.authToken, statusCallback, r.params));
      }
    } finally {
      await remote.close();
      await receiver.close();
    }
  });

  it("compute the X-Twilio-Signature of Twilio's documentation example", () => {
    // https://www.twilio.com/docs/usage/security#validating-requests
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    };
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('leave a hanging request open until the simulator closes', async () => {
    const own = await startProviderSimulators();
    own.fcm.configure({ hangRate: 1 });
    const pending = fetch(`${own.fcmUrl}/v1/projects/p/messages:send`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: JSON.stringify({ message: { token: 'x' } }),
    });
    await until('the request to arrive', () => own.fcm.stats().count === 1);
    expect(own.fcm.stats()).toMatchObject({ inFlight: 1, byStatus: { 0: 1 } });
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});
