import { ApiKeysService } from '../../src/access/api-keys.service';
import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);

describe('Four-eyes approval of notices above APPROVAL_THRESHOLD', () => {
  let sut: TestStack;
  let approver: string;
  beforeAll(async () => {
    sut = await startTestStack({ env: { APPROVAL_THRESHOLD: '2', APPROVAL_TTL: '3600' } });
    // A second key, named so that the audit shows whose approval it was.
    const duty = await sut.app
      .get(ApiKeysService)
      .create('duty-manager', ['notices:approve', 'incidents:read']);
    approver = `Bearer ${duty.key}`;
  });
  afterAll(() => sut.close());
  beforeEach(() => {
    sut.sims.fcm.reset();
    sut.sims.twilio.reset();
  });

  /** Three customers who used `channel` lately: one more than the threshold. */
  async function threeUsersOf(channel: string, prefix: string): Promise<void> {
    await sut.customers.insertMany(
      [1, 2, 3].map((n) => ({
        id: `${prefix}${n}`,
        devices: [`tok-${prefix}${n}`],
        channels: { [channel]: recently() },
      })),
    );
  }

  async function heldNotice(channel: string, incidentRef?: string): Promise<string> {
    const channels = [{ id: channel, status: 'down' as const }];
    const { noticeId } = await sut.postEvent(
      eventBody(incidentRef ? { incidentRef, channels } : { channels }),
    );
    await sut.waitForNotice(noticeId, 'awaiting-approval');
    return noticeId;
  }

  it('holds a larger notice with its audience frozen and counted, sends nothing, and lists it as waiting', async () => {
    await threeUsersOf('qr-payments', 'H');
    const noticeId = await heldNotice('qr-payments');

    const notice = await sut.notice(noticeId);
    expect(notice.audience_total).toBe(3);
    expect((await sut.deliveries(noticeId)).map((d) => [d.customer_id, d.state])).toEqual([
      ['H1', 'pending'],
      ['H2', 'pending'],
      ['H3', 'pending'],
    ]);
    const waiting = await sut.http
      .get('/v1/notices?state=awaiting-approval')
      .set('Authorization', approver)
      .expect(200);
    const listed = waiting.body.items.find((n: { id: string }) => n.id === noticeId);
    expect(listed).toMatchObject({
      state: 'awaiting-approval',
      audience: 3,
      approval: { released: false, submittedBy: expect.stringMatching(/^key:[a-z0-9]+:test$/) },
    });
    expect(Date.parse(listed.approval.expiresAt) - Date.parse(notice.planned_at!.toISOString())).toBe(
      3600_000,
    );
    expect(sut.sims.fcm.received().records).toEqual([]);
    expect(sut.sims.twilio.received().records).toEqual([]);
  });

  it('refuses the submitter, whatever their scopes, and a caller without notices:approve, as problem JSON', async () => {
    await threeUsersOf('atm-network', 'S');
    const noticeId = await heldNotice('atm-network');

    const own = await sut.http
      .post(`/v1/notices/${noticeId}/approve`)
      .set('Authorization', sut.admin)
      .expect(403);
    expect(own.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(own.body).toMatchObject({ status: 403, detail: expect.stringMatching(/second person/) });
    const reader = await sut.bearer('incidents:read', 'events:write');
    await sut.http.post(`/v1/notices/${noticeId}/approve`).set('Authorization', reader).expect(403);

    expect((await sut.notice(noticeId)).state).toBe('awaiting-approval');
    expect(sut.sims.fcm.received().records).toEqual([]);
  });

  it('releases an approved notice to the senders and audits the approval with both names', async () => {
    await threeUsersOf('bill-payments', 'A');
    const noticeId = await heldNotice('bill-payments');

    const res = await sut.http
      .post(`/v1/notices/${noticeId}/approve`)
      .set('Authorization', approver)
      .expect(200);
    expect(res.body).toEqual({
      id: noticeId,
      state: 'sending',
      decidedBy: expect.stringMatching(/:duty-manager$/),
    });
    await sut.waitForNotice(noticeId, 'done');

    expect((await sut.deliveries(noticeId)).map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
    expect(
      sut.sims.fcm
        .received()
        .records.map((r) => r.token)
        .sort(),
    ).toEqual(['tok-A1', 'tok-A2', 'tok-A3']);
    const audit = await sut.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'notice.approve')
      .where('target', '=', noticeId)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toMatch(/^key:[a-z0-9]+:duty-manager$/);
    expect(audit.detail).toMatchObject({
      submittedBy: expect.stringMatching(/:test$/),
      approvedBy: expect.stringMatching(/:duty-manager$/),
      audience: 3,
    });
    const again = await sut.http
      .post(`/v1/notices/${noticeId}/approve`)
      .set('Authorization', approver)
      .expect(409);
    expect(again.body.detail).toMatch(/only a notice awaiting approval/);
  });

  it('sends a notice within the threshold at once', async () => {
    await sut.customers.insertMany(
      ['W1', 'W2'].map((id) => ({ id, devices: [`tok-${id}`], channels: { 'card-payments': recently() } })),
    );
    const { noticeId } = await sut.postEvent(
      eventBody({ channels: [{ id: 'card-payments', status: 'down' }] }),
    );
    await sut.waitForNotice(noticeId, 'done');
    expect((await sut.notice(noticeId)).released).toBe(true);
    expect(sut.sims.fcm.received().records).toHaveLength(2);
  });

  it('drops a rejected notice: its recipients are skipped and nobody hears it', async () => {
    await threeUsersOf('interbank-transfers', 'R');
    const noticeId = await heldNotice('interbank-transfers');

    const res = await sut.http
      .post(`/v1/notices/${noticeId}/reject`)
      .set('Authorization', approver)
      .expect(200);
    expect(res.body.state).toBe('rejected');
    const notice = await sut.notice(noticeId);
    expect([notice.state, notice.rejection]).toEqual(['rejected', 'rejected']);
    expect((await sut.deliveries(noticeId)).map((d) => [d.state, d.reason])).toEqual([
      ['skipped', 'rejected'],
      ['skipped', 'rejected'],
      ['skipped', 'rejected'],
    ]);
    expect(sut.sims.fcm.received().records).toEqual([]);
  });

  it('expires a notice left waiting longer than APPROVAL_TTL as rejected: expired', async () => {
    await threeUsersOf('online-banking', 'E');
    const noticeId = await heldNotice('online-banking');
    // As if it had waited two hours: the worker's next sweep finds it overdue.
    await sut.db
      .updateTable('notices')
      .set({ planned_at: new Date(Date.now() - 2 * 3600 * 1000) })
      .where('id', '=', noticeId)
      .execute();

    const expired = await sut.waitForNotice(noticeId, 'rejected');
    expect(expired.rejection).toBe('expired');
    expect((await sut.deliveries(noticeId)).every((d) => d.reason === 'expired')).toBe(true);
    const audit = await sut.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'notice.expire')
      .where('target', '=', noticeId)
      .execute();
    expect(audit).toEqual([{ actor: 'system' }]);
    await sut.http.post(`/v1/notices/${noticeId}/approve`).set('Authorization', approver).expect(409);
    expect(sut.sims.fcm.received().records).toEqual([]);
  });

  it('sends nothing to anyone for an incident resolved before its opening notice was approved', async () => {
    await threeUsersOf('mobile-app', 'Z');
    const incidentRef = `INC-UNAPPROVED-${Date.now()}`;
    const opening = await heldNotice('mobile-app', incidentRef);

    const resolved = await sut.postEvent(
      eventBody({
        incidentRef,
        type: 'resolved',
        channels: [{ id: 'mobile-app', status: 'restored' }],
        occurredAt: '2026-11-25T11:00:00Z',
      }),
    );
    const closing = await sut.waitForNotice(resolved.noticeId, 'done');
    expect(closing.audience_total).toBe(0);
    const held = await sut.notice(opening);
    expect([held.state, held.rejection]).toEqual(['rejected', 'superseded']);
    expect((await sut.deliveries(opening)).every((d) => d.state === 'skipped')).toBe(true);
    await sut.http.post(`/v1/notices/${opening}/approve`).set('Authorization', approver).expect(409);
    expect(sut.sims.fcm.received().records).toEqual([]);
    expect(sut.sims.twilio.received().records).toEqual([]);
  });

  it('refuses an unknown state filter as problem JSON', async () => {
    const res = await sut.http
      .get('/v1/notices?state=pending-ish')
      .set('Authorization', approver)
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
  });
});

describe('APPROVAL_THRESHOLD=0', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack({ env: { APPROVAL_THRESHOLD: '0' } });
  });
  afterAll(() => sut.close());

  it('holds every notice that reaches anyone, even one of a single recipient', async () => {
    await sut.customers.newCustomer({
      id: 'ONE',
      devices: ['tok-one'],
      channels: { 'mobile-app': recently() },
    });
    const { noticeId } = await sut.postEvent(eventBody({ channels: [{ id: 'mobile-app', status: 'down' }] }));
    const notice = await sut.waitForNotice(noticeId, 'awaiting-approval');
    expect(notice.audience_total).toBe(1);
    expect(sut.sims.fcm.received().records).toEqual([]);
  });
});
