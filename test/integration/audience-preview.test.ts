import { randomUUID } from 'node:crypto';
import { AudienceSpec } from '../../src/database/schema';
import {
  affectedBy,
  CustomerFactory,
  isReachable,
  reachableByPush,
  SeededCustomer,
  seededDirectory,
  usedSince,
  windowsAt,
} from '../support/customer-factory';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

const REGIONS = ['antioquia', 'bogota', 'valle', null];
const CHANNELS = ['mobile-app', 'interbank-transfers', 'card-payments', 'online-banking'];

/** The preview computed without SQL from the generated directory. */
function expectedPreview(directory: SeededCustomer[], spec: AudienceSpec) {
  const affected = affectedBy(directory, spec);
  const audience = affected.filter(isReachable);
  return {
    total: audience.length,
    push: audience.filter(reachableByPush).length,
    smsOnly: audience.filter((c) => !reachableByPush(c)).length,
    unreachable: affected.length - audience.length,
    channels: spec.channels.map((w) => ({
      id: w.id,
      total: audience.filter((c) => usedSince(c, w.id, w.since)).length,
    })),
    stale: false,
  };
}

describe.each(['postgres', 'embedded'] as const)('Audience preview on %s', (kind) => {
  let sut: TestApi;
  let directory: SeededCustomer[];
  let reader: string;
  let writer: string;
  const seededAt = new Date();

  beforeAll(async () => {
    sut = await startTestApi(kind);
    reader = await sut.bearer('incidents:read');
    writer = await sut.bearer('events:write');
    directory = await new CustomerFactory(sut.db).insertMany(
      seededDirectory(4000, { seed: 7, now: seededAt, regions: REGIONS, channelIds: CHANNELS }),
    );
  });
  afterAll(() => sut?.close());

  const preview = (body: object, key = reader) =>
    sut.http.post('/v1/audience/preview').set('Authorization', key).send(body);
  const post = (body: object) =>
    sut.http.post('/v1/events').set('Authorization', writer).send(body).expect(202);

  async function stored() {
    const count = async (table: 'incidents' | 'events' | 'notices') =>
      Number(
        (
          await sut.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      incidents: await count('incidents'),
      events: await count('events'),
      notices: await count('notices'),
    };
  }

  it('counts the audience of a new incident exactly, by medium and by channel, and stores nothing', async () => {
    const before = await stored();
    const body = eventBody({
      channels: [
        { id: 'mobile-app', status: 'down' },
        { id: 'interbank-transfers', status: 'degraded' },
        { id: 'online-banking', status: 'restored' },
      ],
      regions: ['antioquia', 'valle'],
    });

    const res = await preview(body).expect(200);

    const spec: AudienceSpec = {
      kind: 'affected',
      channels: windowsAt(seededAt, { 'mobile-app': 90, 'interbank-transfers': 60 }),
      regions: ['antioquia', 'valle'],
    };
    const expected = expectedPreview(directory, spec);
    expect(expected.total).toBeGreaterThan(200);
    expect(expected.smsOnly).toBeGreaterThan(0);
    expect(expected.unreachable).toBeGreaterThan(0);
    expect(res.body).toMatchObject(expected);
    expect(await stored()).toEqual(before);
  });

  it('merges the event into the existing incident exactly as intake would', async () => {
    const ref = `INC-${randomUUID()}`;
    await post(
      eventBody({
        incidentRef: ref,
        channels: [{ id: 'mobile-app', status: 'down' }],
        regions: ['bogota'],
        occurredAt: '2026-11-25T10:00:00Z',
      }),
    );
    const update = eventBody({
      incidentRef: ref,
      type: 'updated',
      channels: [{ id: 'card-payments', status: 'degraded' }],
      occurredAt: '2026-11-25T10:20:00Z',
    });

    const res = await preview(update, writer).expect(200);

    const spec: AudienceSpec = {
      kind: 'affected',
      channels: windowsAt(seededAt, { 'mobile-app': 90, 'card-payments': 30 }),
      regions: null,
    };
    expect(res.body).toMatchObject(expectedPreview(directory, spec));
    const accepted = await post(update);
    const notice = await sut.db
      .selectFrom('notices')
      .select('audience_spec')
      .where('id', '=', accepted.body.noticeId)
      .executeTakeFirstOrThrow();
    expect(notice.audience_spec).toMatchObject({ kind: 'affected', regions: null });
    expect(notice.audience_spec.channels.map((c) => c.id)).toEqual(['mobile-app', 'card-payments']);
  });

  it('previews a stale event as notifying nobody', async () => {
    const ref = `INC-${randomUUID()}`;
    await post(eventBody({ incidentRef: ref, occurredAt: '2026-11-25T10:00:00Z' }));

    const res = await preview(
      eventBody({ incidentRef: ref, type: 'updated', occurredAt: '2026-11-25T09:00:00Z' }),
    );

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      total: 0,
      push: 0,
      smsOnly: 0,
      unreachable: 0,
      channels: [],
      stale: true,
    });
  });

  it('previews a resolved event as the customers told before', async () => {
    const ref = `INC-${randomUUID()}`;
    const opened = await post(eventBody({ incidentRef: ref, occurredAt: '2026-11-25T10:00:00Z' }));
    const told = directory.slice(0, 300);
    await sut.db
      .insertInto('deliveries')
      .values(
        told.map((c, i) => ({
          notice_id: opened.body.noticeId,
          customer_id: c.id,
          batch: 0,
          medium: 'push' as const,
          state: i % 3 === 0 ? ('failed' as const) : ('delivered' as const),
        })),
      )
      .execute();
    const recipients = told.filter((_, i) => i % 3 !== 0);

    const res = await preview(
      eventBody({ incidentRef: ref, type: 'resolved', occurredAt: '2026-11-25T12:00:00Z' }),
    );

    const reachable = recipients.filter(isReachable);
    expect(res.body).toMatchObject({
      total: reachable.length,
      push: reachable.filter(reachableByPush).length,
      smsOnly: reachable.filter((c) => !reachableByPush(c)).length,
      unreachable: recipients.length - reachable.length,
      channels: [],
      stale: false,
    });
  });

  it('needs incidents:read or events:write', async () => {
    await sut.http.post('/v1/audience/preview').send(eventBody()).expect(401);
    await preview(eventBody(), await sut.bearer('customers:write')).expect(403);
  });
});
