import request from 'supertest';
import { createHttpApp } from '../../src/app/http-app';
import { JobQueue } from '../../src/queues/job-queue';
import { JobName, QueueName } from '../../src/queues/jobs';
import { NoticeOutbox } from '../../src/notices/notice-outbox';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

const DAY_MS = 24 * 3600 * 1000;

describe.each(['postgres', 'embedded'] as const)('Event intake on %s', (kind) => {
  let sut: TestApi;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    sut = await startTestApi(kind);
    writer = await sut.bearer('events:write');
    reader = await sut.bearer('incidents:read');
  });
  afterAll(() => sut?.close());

  const post = (body: object) => sut.http.post('/v1/events').set('Authorization', writer).send(body);
  const incident = (id: string) =>
    sut.http.get(`/v1/incidents/${id}`).set('Authorization', reader).expect(200);
  const planning = () => sut.app.get(JobQueue).queue(QueueName.Planning);
  const rows = (
    table: 'events' | 'notices' | 'incidents',
    column: 'id' | 'event_id' | 'ref',
    value: string,
  ) => sut.db.selectFrom(table).selectAll().where(column, '=', value).execute();

  it('accepts an event: incident, notice with its audience frozen, audit entry and planning job', async () => {
    const body = eventBody({
      channels: [
        { id: 'mobile-app', status: 'down' },
        { id: 'interbank-transfers', status: 'degraded' },
      ],
      regions: ['antioquia'],
      title: { 'es-CO': 'Fallas en la app' },
      advice: { 'es-CO': 'Tu dinero está seguro.', en: 'Your money is safe.' },
      media: ['push'],
    });

    const res = await post(body).expect(202);

    expect(res.body).toEqual({
      eventId: body.id,
      incidentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      noticeId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      restorationNoticeId: null,
      duplicate: false,
      stale: false,
    });
    const [event] = await rows('events', 'id', body.id);
    const notice = await sut.db
      .selectFrom('notices')
      .selectAll()
      .where('id', '=', res.body.noticeId)
      .executeTakeFirstOrThrow();
    const accepted = event.received_at.getTime();
    expect(notice).toMatchObject({
      incident_id: res.body.incidentId,
      event_id: body.id,
      type: 'opened',
      severity: 'major',
      state: 'planning',
      media: ['push'],
      content: { message: body.message, title: body.title, advice: body.advice },
      audience_spec: {
        kind: 'affected',
        channels: [
          { id: 'mobile-app', since: new Date(accepted - 90 * DAY_MS).toISOString() },
          { id: 'interbank-transfers', since: new Date(accepted - 60 * DAY_MS).toISOString() },
        ],
        regions: ['antioquia'],
      },
    });
    const audit = await sut.db.selectFrom('audit_log').selectAll().where('target', '=', body.id).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'event.accept' })]);
    const job = await planning().getJob(`plan-${res.body.noticeId}`);
    expect(job?.name).toBe(JobName.PlanNotice);
    expect(job?.data).toEqual({ noticeId: res.body.noticeId });
  });

  it('answers ten simultaneous copies with one acceptance and nine duplicates of it', async () => {
    const body = eventBody();

    const responses = await Promise.all(Array.from({ length: 10 }, () => post(body)));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    const first = responses.find((r) => !r.body.duplicate)!.body;
    expect(responses.filter((r) => !r.body.duplicate)).toHaveLength(1);
    for (const r of responses) expect(r.body).toEqual({ ...first, duplicate: r.body.duplicate });
    expect(first.noticeId).toEqual(expect.any(String));
    expect(await rows('events', 'id', body.id)).toHaveLength(1);
    expect(await rows('notices', 'event_id', body.id)).toHaveLength(1);
    expect(await rows('incidents', 'ref', body.incidentRef)).toHaveLength(1);
  });

  it('answers simultaneous copies of an event for a known incident with one acceptance', async () => {
    const opened = eventBody();
    await post(opened).expect(202);
    const update = eventBody({
      incidentRef: opened.incidentRef,
      type: 'updated',
      occurredAt: '2026-11-25T10:05:00Z',
    });

    const responses = await Promise.all(Array.from({ length: 10 }, () => post(update)));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(responses.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.noticeId)).size).toBe(1);
    expect(await rows('events', 'id', update.id)).toHaveLength(1);
    expect(await rows('notices', 'event_id', update.id)).toHaveLength(1);
    const audit = await sut.db.selectFrom('audit_log').selectAll().where('target', '=', update.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('applies different events that open the same incident at once, each exactly once', async () => {
    const ref = `INC-race-${kind}-${Date.now()}`;
    const bodies = Array.from({ length: 6 }, (_, i) =>
      eventBody({
        incidentRef: ref,
        type: i === 0 ? 'opened' : 'updated',
        channels: [{ id: i % 2 ? 'bill-payments' : 'mobile-app', status: 'down' }],
        occurredAt: new Date(Date.parse('2026-11-25T10:00:00Z') + i * 60_000).toISOString(),
      }),
    );

    const responses = await Promise.all(bodies.map((body) => post(body)));

    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(responses.every((r) => !r.body.duplicate)).toBe(true);
    expect(new Set(responses.map((r) => r.body.incidentId)).size).toBe(1);
    expect(await rows('incidents', 'ref', ref)).toHaveLength(1);
    const detail = await incident(responses[0].body.incidentId);
    expect(detail.body.timeline).toHaveLength(6);
    // Whatever order they were applied in, the incident ends in the state of the latest event.
    expect(detail.body.channels).toEqual(
      expect.arrayContaining([
        { id: 'mobile-app', status: 'down' },
        { id: 'bill-payments', status: 'down' },
      ]),
    );
  });

  // PGlite serves one process, so a second API process needs the PostgreSQL database.
  (kind === 'postgres' ? it : it.skip)(
    'answers a retry that reaches another API process from the stored event',
    async () => {
      const body = eventBody();
      const first = await post(body).expect(202);
      const other = await createHttpApp(sut.config);
      await other.init();
      try {
        const retry = () => request(other.getHttpServer()).post('/v1/events').set('Authorization', writer);

        const repeated = await retry().send(body).expect(202);
        const altered = await retry()
          .send({ ...body, severity: 'critical' })
          .expect(409);

        expect(repeated.body).toEqual({ ...first.body, duplicate: true });
        expect(altered.body.errors).toEqual([{ field: 'id', reason: expect.any(String) }]);
        expect(await rows('notices', 'event_id', body.id)).toHaveLength(1);
      } finally {
        await other.close();
      }
    },
  );

  it('refuses the same id with a different body and changes nothing', async () => {
    const body = eventBody();
    const first = await post(body).expect(202);

    const res = await post({ ...body, severity: 'critical', incidentRef: 'INC-other' }).expect(409);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'id', reason: expect.any(String) }]);
    expect(await rows('incidents', 'ref', 'INC-other')).toHaveLength(0);
    const detail = await incident(first.body.incidentId);
    expect(detail.body).toMatchObject({ severity: 'major', timeline: [{ eventId: body.id }] });
    expect(await rows('notices', 'event_id', body.id)).toHaveLength(1);
  });

  it('treats the same body with keys in another order as a duplicate', async () => {
    const body = eventBody({ title: { 'es-CO': 'Fallas', en: 'Problems' } });
    const first = await post(body).expect(202);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    reordered.title = { en: 'Problems', 'es-CO': 'Fallas' };
    reordered.channels = [{ status: 'down', id: 'mobile-app' }];

    const res = await post(reordered).expect(202);

    expect(res.body).toEqual({ ...first.body, duplicate: true });
  });

  it('records an older event arriving after a newer one as stale, without moving state or notifying', async () => {
    const ref = `INC-stale-${kind}`;
    const newer = eventBody({
      incidentRef: ref,
      type: 'updated',
      severity: 'critical',
      channels: [{ id: 'mobile-app', status: 'degraded' }],
      occurredAt: '2026-11-25T10:05:00Z',
    });
    const older = eventBody({
      incidentRef: ref,
      type: 'opened',
      severity: 'minor',
      channels: [{ id: 'mobile-app', status: 'down' }],
      occurredAt: '2026-11-25T05:00:00-05:00',
    });
    const applied = await post(newer).expect(202);

    const stale = await post(older).expect(202);

    expect(stale.body).toEqual({
      eventId: older.id,
      incidentId: applied.body.incidentId,
      noticeId: null,
      restorationNoticeId: null,
      duplicate: false,
      stale: true,
    });
    const detail = await incident(applied.body.incidentId);
    expect(detail.body).toMatchObject({
      status: 'open',
      severity: 'critical',
      channels: [{ id: 'mobile-app', status: 'degraded' }],
      openedAt: '2026-11-25T10:00:00.000Z',
      lastEventAt: '2026-11-25T10:05:00.000Z',
    });
    expect(detail.body.timeline).toEqual([
      expect.objectContaining({ eventId: older.id, type: 'opened', stale: true, noticeId: null }),
      expect.objectContaining({
        eventId: newer.id,
        type: 'updated',
        stale: false,
        noticeId: applied.body.noticeId,
      }),
    ]);
    const notices = await sut.db
      .selectFrom('notices')
      .select('event_id')
      .where('incident_id', '=', applied.body.incidentId)
      .execute();
    expect(notices).toEqual([{ event_id: newer.id }]);
    expect((await post(older).expect(202)).body).toEqual({ ...stale.body, duplicate: true });
  });

  it('refuses a resolved event for an unknown incident with 409 and stores nothing', async () => {
    const body = eventBody({ incidentRef: `INC-unknown-${kind}`, type: 'resolved' });

    const res = await post(body).expect(409);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://aviso.dev/problems/incident-unknown',
      status: 409,
      errors: [{ field: 'incidentRef', reason: expect.any(String) }],
    });
    expect(await rows('incidents', 'ref', body.incidentRef)).toEqual([]);
    expect(await rows('events', 'id', body.id)).toEqual([]);
    const audit = await sut.db.selectFrom('audit_log').select('id').where('target', '=', body.id).execute();
    expect(audit).toEqual([]);
  });

  it('merges channel statuses across events and closes the incident on a resolved event', async () => {
    const ref = `INC-merge-${kind}`;
    const opened = await post(
      eventBody({
        incidentRef: ref,
        channels: [
          { id: 'mobile-app', status: 'down' },
          { id: 'interbank-transfers', status: 'degraded' },
        ],
        regions: ['antioquia'],
        occurredAt: '2026-11-25T10:00:00Z',
      }),
    ).expect(202);
    const updated = await post(
      eventBody({
        incidentRef: ref,
        type: 'updated',
        severity: 'critical',
        channels: [
          { id: 'interbank-transfers', status: 'restored' },
          { id: 'card-payments', status: 'down' },
        ],
        occurredAt: '2026-11-25T10:30:00Z',
      }),
    ).expect(202);

    const merged = await incident(opened.body.incidentId);
    expect(merged.body).toMatchObject({
      status: 'open',
      severity: 'critical',
      regions: null,
      channels: [
        { id: 'mobile-app', status: 'down' },
        { id: 'interbank-transfers', status: 'restored' },
        { id: 'card-payments', status: 'down' },
      ],
    });
    const spec = await noticeSpec(updated.body.noticeId);
    expect(spec).toMatchObject({ kind: 'affected', regions: null });
    expect(spec.channels.map((c: { id: string }) => c.id)).toEqual(['mobile-app', 'card-payments']);

    const resolved = await post(
      eventBody({
        incidentRef: ref,
        type: 'resolved',
        severity: 'minor',
        channels: [
          { id: 'mobile-app', status: 'restored' },
          { id: 'card-payments', status: 'restored' },
        ],
        occurredAt: '2026-11-25T11:00:00Z',
      }),
    ).expect(202);

    const closed = await incident(opened.body.incidentId);
    expect(closed.body).toMatchObject({ status: 'resolved', severity: 'minor' });
    expect(closed.body.channels.every((c: { status: string }) => c.status === 'restored')).toBe(true);
    expect(await noticeSpec(resolved.body.noticeId)).toEqual({
      kind: 'previous-recipients',
      channels: [],
      regions: null,
    });
  });

  it('re-queues every notice still in planning, once, through the deterministic job id', async () => {
    const lost = await post(eventBody()).expect(202);
    const done = await post(eventBody()).expect(202);
    await (await planning().getJob(`plan-${lost.body.noticeId}`))!.remove();
    await (await planning().getJob(`plan-${done.body.noticeId}`))!.remove();
    await sut.db.updateTable('notices').set({ state: 'done' }).where('id', '=', done.body.noticeId).execute();
    const outbox = sut.app.get(NoticeOutbox);

    await outbox.requeuePlanning();
    const offered = await outbox.requeuePlanning();

    const inPlanning = await sut.db
      .selectFrom('notices')
      .select('id')
      .where('state', '=', 'planning')
      .execute();
    expect(offered).toBe(inPlanning.length);
    const jobs = await planning().getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((j) => j.id).sort()).toEqual(inPlanning.map((n) => `plan-${n.id}`).sort());
    expect(await planning().getJob(`plan-${lost.body.noticeId}`)).toBeDefined();
    expect(await planning().getJob(`plan-${done.body.noticeId}`)).toBeUndefined();
  });

  async function noticeSpec(noticeId: string) {
    const notice = await sut.db
      .selectFrom('notices')
      .select('audience_spec')
      .where('id', '=', noticeId)
      .executeTakeFirstOrThrow();
    return notice.audience_spec;
  }
});
