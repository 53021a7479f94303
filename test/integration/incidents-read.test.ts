import { DeliveryState, Medium } from '../../src/database/schema';
import { CustomerFactory } from '../support/customer-factory';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

describe('Incident and notice reads', () => {
  let sut: TestApi;
  let reader: string;
  let writer: string;
  const opened: { incidentId: string; noticeId: string; ref: string }[] = [];

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    reader = await sut.bearer('incidents:read');
    writer = await sut.bearer('events:write');
    for (let hour = 1; hour <= 7; hour++) {
      const ref = `INC-list-${hour}`;
      const body = eventBody({ incidentRef: ref, occurredAt: `2026-11-2${hour}T0${hour}:00:00Z` });
      const res = await post(body);
      opened.push({ ...res.body, ref });
    }
    await post(
      eventBody({ incidentRef: 'INC-list-2', type: 'resolved', occurredAt: '2026-11-30T00:00:00Z' }),
    );
    await post(
      eventBody({ incidentRef: 'INC-list-5', type: 'resolved', occurredAt: '2026-11-30T00:00:00Z' }),
    );
  });
  afterAll(() => sut?.close());

  const post = (body: object) =>
    sut.http.post('/v1/events').set('Authorization', writer).send(body).expect(202);
  const get = (path: string) => sut.http.get(path).set('Authorization', reader).expect(200);

  async function walk(query: string, limit: number): Promise<string[]> {
    const refs: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res = await get(`/v1/incidents?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      refs.push(...res.body.items.map((i: { ref: string }) => i.ref));
      cursor = res.body.nextCursor;
      if (!cursor) return refs;
    }
    throw new Error('the cursor never ended');
  }

  it('lists incidents newest first, page by page, each exactly once', async () => {
    expect(await walk('', 3)).toEqual([7, 6, 5, 4, 3, 2, 1].map((n) => `INC-list-${n}`));
  });

  it('filters by status', async () => {
    expect(await walk('&status=resolved', 1)).toEqual(['INC-list-5', 'INC-list-2']);
    expect(await walk('&status=open', 2)).toEqual([7, 6, 4, 3, 1].map((n) => `INC-list-${n}`));
  });

  it('describes one incident with its current channels and timeline', async () => {
    const second = opened[1];

    const res = await get(`/v1/incidents/${second.incidentId}`);

    expect(res.body).toEqual({
      id: second.incidentId,
      ref: 'INC-list-2',
      status: 'resolved',
      severity: 'major',
      regions: null,
      openedAt: '2026-11-22T02:00:00.000Z',
      lastEventAt: '2026-11-30T00:00:00.000Z',
      channels: [{ id: 'mobile-app', status: 'down' }],
      timeline: [
        {
          eventId: expect.any(String),
          type: 'opened',
          severity: 'major',
          occurredAt: '2026-11-22T02:00:00.000Z',
          receivedAt: expect.any(String),
          stale: false,
          noticeId: second.noticeId,
          channels: [{ id: 'mobile-app', status: 'down' }],
        },
        expect.objectContaining({ type: 'resolved', stale: false, noticeId: expect.any(String) }),
      ],
    });
  });

  it('shows a notice with zero counts before any delivery', async () => {
    const first = opened[0];

    const res = await get(`/v1/notices/${first.noticeId}`);

    const zero = { pending: 0, deferred: 0, sent: 0, delivered: 0, failed: 0, skipped: 0 };
    expect(res.body).toEqual({
      id: first.noticeId,
      incidentId: first.incidentId,
      eventId: expect.any(String),
      type: 'opened',
      state: 'planning',
      createdAt: expect.any(String),
      audience: { total: null, planned: 0 },
      counts: { push: zero, sms: zero },
      reasons: { failed: {}, skipped: {} },
      deferred: { total: 0, firstAt: null, lastAt: null },
      throughput: { sent: 0, firstSentAt: null, lastSentAt: null, perSecond: 0 },
      approval: {
        released: false,
        submittedBy: expect.stringMatching(/^key:[a-z0-9]+:test$/),
        decidedBy: null,
        decidedAt: null,
        rejection: null,
        expiresAt: null,
      },
    });
  });

  it('counts deliveries of a notice by medium and state', async () => {
    const notice = opened[2].noticeId;
    const customers = await new CustomerFactory(sut.db).insertMany(Array.from({ length: 9 }, () => ({})));
    const plan: [Medium, DeliveryState][] = [
      ['push', 'sent'],
      ['push', 'sent'],
      ['push', 'delivered'],
      ['push', 'failed'],
      ['sms', 'pending'],
      ['sms', 'delivered'],
      ['sms', 'delivered'],
      ['sms', 'skipped'],
      ['sms', 'failed'],
    ];
    await sut.db
      .insertInto('deliveries')
      .values(
        plan.map(([medium, state], i) => ({
          notice_id: notice,
          customer_id: customers[i].id,
          batch: 0,
          medium,
          state,
        })),
      )
      .execute();
    await sut.db
      .updateTable('notices')
      .set({ audience_total: 9, planned_count: 9, state: 'sending' })
      .where('id', '=', notice)
      .execute();

    const res = await get(`/v1/notices/${notice}`);

    expect(res.body).toMatchObject({
      state: 'sending',
      audience: { total: 9, planned: 9 },
      counts: {
        push: { pending: 0, sent: 2, delivered: 1, failed: 1, skipped: 0 },
        sms: { pending: 1, sent: 0, delivered: 2, failed: 1, skipped: 1 },
      },
    });
  });
});
