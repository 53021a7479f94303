import { Logger } from '@nestjs/common';
import { envSchema } from '../../src/config/config.schema';
import { resolvePushSettings } from '../../src/providers/provider-settings';
import { PushMessage, PushSender } from '../../src/providers/push/push-sender';
import { FcmSimulator } from '../../src/simulators/fcm-simulator';
import { until } from '../support/until';

const PROJECT = 'aviso-push-test';
const DEADLINE_MS = 1_500;

function message(token: string): PushMessage {
  return {
    token,
    title: 'Transferencias con demoras',
    body: 'Estamos trabajando para resolverlo.',
    collapseKey: 'incident-42',
    data: { incidentId: 'incident-42', type: 'opened' },
  };
}

describe(PushSender.name, () => {
  let fcm: FcmSimulator;
  let open: (vars?: Record<string, string>) => PushSender;
  let sut: PushSender;

  beforeAll(async () => {
    Logger.overrideLogger(false); // failures here are expected; their masking is tested in providers-module
    fcm = new FcmSimulator({ config: { projectId: PROJECT } });
    const url = await fcm.listen();
    open = (vars = {}) => {
      const env = {
        FCM_BASE_URL: url,
        FIREBASE_PROJECT_ID: PROJECT,
        PUSH_SEND_TIMEOUT_MS: String(DEADLINE_MS),
      };
      return PushSender.open(resolvePushSettings(envSchema.parse({ ...env, ...vars }))!);
    };
    sut = open();
  });
  afterEach(() => fcm.reset());
  afterAll(async () => {
    await sut.close();
    await fcm.close();
  });

  it('sends each message through firebase-admin as an FCM v1 message with collapse keys', async () => {
    const results = await sut.sendBatch([message('device-a'), message('device-b')]);

    expect(results).toEqual([
      { ok: true, messageId: expect.stringMatching(`^projects/${PROJECT}/messages/`) },
      { ok: true, messageId: expect.stringMatching(`^projects/${PROJECT}/messages/`) },
    ]);
    expect(results[0]).not.toEqual(results[1]);
    const { stats, records } = fcm.received();
    expect(stats).toMatchObject({ count: 2, accepted: 2 });
    expect(records.map((r) => r.token).sort()).toEqual(['device-a', 'device-b']);
    expect(records[0].message).toEqual({
      token: expect.any(String),
      notification: { title: 'Transferencias con demoras', body: 'Estamos trabajando para resolverlo.' },
      data: { incidentId: 'incident-42', type: 'opened' },
      android: { collapse_key: 'incident-42', priority: 'high' },
      apns: { headers: { 'apns-collapse-id': 'incident-42' } },
    });
  });

  it('reports a mixed batch per message: dead tokens, permanent failures and successes in order', async () => {
    fcm.configure({
      unregisteredTokens: ['uninstalled'],
      invalidTokens: ['garbled'],
      mismatchedTokens: ['other-sender'],
    });

    const results = await sut.sendBatch(
      ['fine-1', 'uninstalled', 'garbled', 'other-sender', '', 'fine-2'].map((t) => message(t)),
    );

    expect(results).toEqual([
      { ok: true, messageId: expect.any(String) },
      { ok: false, outcome: 'token-dead', code: 'messaging/registration-token-not-registered' },
      { ok: false, outcome: 'token-dead', code: 'messaging/invalid-argument' },
      { ok: false, outcome: 'permanent', code: 'messaging/mismatched-credential' },
      // firebase-admin refuses a message without a target before sending it: permanent, nothing reaches FCM.
      { ok: false, outcome: 'permanent', code: 'messaging/invalid-payload' },
      { ok: true, messageId: expect.any(String) },
    ]);
    expect(fcm.stats()).toMatchObject({
      count: 5,
      accepted: 2,
      byStatus: { 200: 2, 400: 1, 403: 1, 404: 1 },
    });
  });

  it('reports a 429 as rate-limited with the Retry-After FCM sent', async () => {
    fcm.configure({ rateLimitRate: 1, retryAfterSeconds: 7 });

    const results = await sut.sendBatch([message('device-a'), message('device-b')]);

    const limited = {
      ok: false,
      outcome: 'rate-limited',
      code: 'messaging/message-rate-exceeded',
      retryAfterMs: 7000,
    };
    expect(results).toEqual([limited, limited]);
    expect(fcm.stats().count).toBe(2); // firebase-admin does not retry 429s itself
  });

  it('reports a 500 as transient without firebase-admin retrying it', async () => {
    fcm.configure({ errorRate: 1, errorStatus: 500 });

    expect(await sut.sendBatch([message('device-a')])).toEqual([
      { ok: false, outcome: 'transient', code: 'messaging/internal-error' },
    ]);
    expect(fcm.stats().count).toBe(1);
  });

  it('lets firebase-admin retry a single 503 inside the bound, so the message still goes out', async () => {
    fcm.configure({ failNext: 1, failNextAs: 'error', errorStatus: 503 });

    expect(await sut.sendBatch([message('device-a')])).toEqual([{ ok: true, messageId: expect.any(String) }]);
    expect(fcm.stats()).toMatchObject({ count: 2, byStatus: { 200: 1, 503: 1 } });
  });

  it('bounds a hanging FCM: the call returns transient at the deadline and the sockets are released', async () => {
    fcm.configure({ hangRate: 1 });

    const started = Date.now();
    const results = await sut.sendBatch([message('device-a'), message('device-b')]);
    const elapsed = Date.now() - started;

    expect(results).toEqual([
      { ok: false, outcome: 'transient', code: 'deadline-exceeded' },
      { ok: false, outcome: 'transient', code: 'deadline-exceeded' },
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 1_000);
    expect(fcm.stats()).toMatchObject({ count: 2, byStatus: { 0: 2 } });
    await until('the simulator to see both connections closed', () => fcm.stats().inFlight === 0, 1_000);
  });

  it('keeps what finished before the deadline: only the hanging message is transient', async () => {
    fcm.configure({ hangingTokens: ['stuck'] });

    const results = await sut.sendBatch([message('fine-1'), message('stuck'), message('fine-2')]);

    expect(results).toEqual([
      { ok: true, messageId: expect.any(String) },
      { ok: false, outcome: 'transient', code: 'deadline-exceeded' },
      { ok: true, messageId: expect.any(String) },
    ]);
  });

  it('cuts requests still queued for a socket at the deadline, and the pool serves the next batch', async () => {
    const twoSockets = open({ PUSH_MAX_CONNECTIONS: '2', PUSH_SEND_TIMEOUT_MS: '800' });
    fcm.configure({ hangingTokens: ['stuck-1', 'stuck-2'] });
    try {
      const started = Date.now();
      const stalled = await twoSockets.sendBatch(['stuck-1', 'stuck-2', 'a', 'b'].map((t) => message(t)));

      expect(Date.now() - started).toBeLessThan(800 + 1_000);
      expect(stalled.map((r) => !r.ok && r.code)).toEqual(Array(4).fill('deadline-exceeded'));
      expect(fcm.stats().count).toBe(2); // the queued two never reached FCM
      fcm.configure({ hangingTokens: [] });
      expect((await twoSockets.sendBatch(['a', 'b', 'c'].map((t) => message(t)))).every((r) => r.ok)).toBe(
        true,
      );
    } finally {
      await twoSockets.close();
    }
  });

  it("does not let firebase-admin's own 503 retries stretch a call past the bound, nor send after it", async () => {
    // Unbounded, the SDK would try 5 times over about 7 s (back-off 0, 1, 2, 4 s).
    fcm.configure({ errorRate: 1, errorStatus: 503 });
    const bounded = open();

    const started = Date.now();
    const results = await bounded.sendBatch([message('device-a')]);
    const elapsed = Date.now() - started;
    const attemptsByThen = fcm.stats().count;
    await bounded.close(); // waits for the SDK's sleeping retry to wake up and be refused

    expect(results).toEqual([{ ok: false, outcome: 'transient', code: 'deadline-exceeded' }]);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 1_000);
    expect(attemptsByThen).toBe(3); // t = 0, 0 and 1 s; the next retry was due at 3 s
    expect(fcm.stats().count).toBe(attemptsByThen);
  });

  it('sends nothing for an empty batch and refuses more than 500 messages', async () => {
    expect(await sut.sendBatch([])).toEqual([]);
    await expect(sut.sendBatch(Array.from({ length: 501 }, (_, i) => message(`d${i}`)))).rejects.toThrow(
      RangeError,
    );
    expect(fcm.stats().count).toBe(0);
  });

  it('sends a full batch of 500 over kept-alive connections', async () => {
    // 500 requests take well under a second, but not under --detectOpenHandles.
    const roomy = open({ PUSH_SEND_TIMEOUT_MS: '30000' });
    try {
      const results = await roomy.sendBatch(Array.from({ length: 500 }, (_, i) => message(`device-${i}`)));

      expect(results.filter((r) => r.ok)).toHaveLength(500);
      expect(fcm.stats()).toMatchObject({ count: 500, accepted: 500 });
    } finally {
      await roomy.close();
    }
  });
});
