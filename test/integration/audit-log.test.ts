import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 3 * 24 * 3600 * 1000);
const STOPPED_PHONE = '+573001110002';

describe('GET /v1/audit', () => {
  let sut: TestStack;
  let auditor: string;
  let noticeId: string;

  beforeAll(async () => {
    sut = await startTestStack({
      fcm: { unregisteredTokens: ['uninstalled-app-token-1'] },
      twilio: { unsubscribedNumbers: [STOPPED_PHONE] },
    });
    auditor = await sut.bearer('audit:read');
    await sut.customers.insertMany([
      {
        id: 'PRUNED',
        devices: ['uninstalled-app-token-1', 'live-token-1'],
        channels: { 'mobile-app': recently() },
      },
      { id: 'STOPPED', phone: STOPPED_PHONE, devices: [], channels: { 'mobile-app': recently() } },
    ]);
    ({ noticeId } = await sut.postEvent(eventBody()));
    await sut.waitForNotice(noticeId, 'done');
  });
  afterAll(() => sut.close());

  it('shows the device pruned after UNREGISTERED and the STOP revocation, each naming the notice', async () => {
    const pruned = await sut.http
      .get('/v1/audit?action=device.prune')
      .set('Authorization', auditor)
      .expect(200);
    expect(pruned.body.items).toEqual([
      expect.objectContaining({
        actor: 'provider:fcm',
        action: 'device.prune',
        target: 'PRUNED',
        detail: {
          noticeId,
          device: 'uninst…(23)',
          providerCode: 'messaging/registration-token-not-registered',
        },
      }),
    ]);
    expect(JSON.stringify(pruned.body)).not.toContain('uninstalled-app-token-1');

    const stopped = await sut.http
      .get('/v1/audit')
      .query({ action: 'customer.sms-consent.revoke', actor: 'provider:twilio' })
      .set('Authorization', auditor)
      .expect(200);
    expect(stopped.body.items).toEqual([
      expect.objectContaining({ target: 'STOPPED', detail: { noticeId, providerCode: '21610' } }),
    ]);
    const consent = await sut.db
      .selectFrom('customers')
      .select('consent_sms')
      .where('id', '=', 'STOPPED')
      .executeTakeFirstOrThrow();
    expect(consent.consent_sms).toBe(false);
  });

  it('filters by time range and pages newest first without repeating or losing an entry', async () => {
    const all = await sut.http.get('/v1/audit?limit=500').set('Authorization', auditor).expect(200);
    // The event's acceptance, the prune and the STOP at least.
    expect(all.body.items.length).toBeGreaterThanOrEqual(3);
    expect(all.body.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await sut.http
        .get('/v1/audit')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set('Authorization', auditor)
        .expect(200);
      seen.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((e: { id: string }) => e.id));

    const future = new Date(Date.now() + 3600_000).toISOString();
    const none = await sut.http
      .get('/v1/audit')
      .query({ from: future })
      .set('Authorization', auditor)
      .expect(200);
    expect(none.body.items).toEqual([]);
    const before = await sut.http
      .get('/v1/audit')
      .query({ from: '2020-01-01T00:00:00Z', to: future })
      .set('Authorization', auditor)
      .expect(200);
    expect(before.body.items).toHaveLength(all.body.items.length);
  });

  it('answers bad filters with problem JSON naming the field, and needs audit:read', async () => {
    const bad = await sut.http
      .get('/v1/audit')
      .query({ cursor: 'nonsense', from: 'yesterday' })
      .set('Authorization', auditor)
      .expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('from');
    const reversed = await sut.http
      .get('/v1/audit')
      .query({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })
      .set('Authorization', auditor)
      .expect(400);
    expect(reversed.body.errors).toEqual([{ field: 'to', reason: 'must be later than from' }]);
    const reader = await sut.bearer('incidents:read');
    await sut.http.get('/v1/audit').set('Authorization', reader).expect(403);
  });
});
