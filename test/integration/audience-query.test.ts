import { randomUUID } from 'node:crypto';
import { AudienceMember, AudienceQuery } from '../../src/audience/audience.query';
import { AudienceSpec, DeliveryState } from '../../src/database/schema';
import {
  affectedBy,
  CustomerFactory,
  isReachable,
  SeededCustomer,
  seededDirectory,
  windowsAt,
} from '../support/customer-factory';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

const DAY_MS = 24 * 3600 * 1000;
const REGIONS = ['antioquia', 'bogota', 'valle', 'atlantico', null];
const CHANNELS = ['mobile-app', 'interbank-transfers', 'card-payments', 'bill-payments'];

describe.each(['postgres', 'embedded'] as const)('AudienceQuery on %s', (kind) => {
  let sut: TestApi;
  let customers: CustomerFactory;
  let directory: SeededCustomer[];
  let query: AudienceQuery;
  let writer: string;
  const now = new Date();

  beforeAll(async () => {
    sut = await startTestApi(kind);
    customers = new CustomerFactory(sut.db);
    query = sut.app.get(AudienceQuery);
    writer = await sut.bearer('events:write');
    directory = await customers.insertMany(
      seededDirectory(3000, { seed: 20261125, now, regions: REGIONS, channelIds: CHANNELS }),
    );
  });
  afterAll(() => sut?.close());

  async function collect(spec: AudienceSpec, incidentId: string, pageSize?: number) {
    const pages: AudienceMember[][] = [];
    for await (const page of query.pages(spec, incidentId, pageSize)) pages.push(page);
    return pages;
  }

  function expectExactly(pages: AudienceMember[][], expected: SeededCustomer[]) {
    const ids = pages.flat().map((m) => m.customerId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expected.map((c) => c.id).sort());
  }

  it('streams exactly the reachable customers who used an affected channel in its window and region', async () => {
    const spec: AudienceSpec = {
      kind: 'affected',
      channels: windowsAt(now, { 'mobile-app': 90, 'interbank-transfers': 60 }),
      regions: ['antioquia', 'valle'],
    };
    const expected = affectedBy(directory, spec).filter(isReachable);

    const pages = await collect(spec, randomUUID(), 64);

    expect(expected.length).toBeGreaterThan(150);
    expectExactly(pages, expected);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(64);
    const byId = new Map(directory.map((c) => [c.id, c]));
    for (const member of pages.flat()) {
      const c = byId.get(member.customerId)!;
      expect(member).toEqual({
        customerId: c.id,
        locale: c.locale,
        timeZone: 'America/Bogota',
        channels: Object.fromEntries(Object.entries(c.channels).map(([id, at]) => [id, at.getTime()])),
        phone: c.phone,
        consentPush: c.consentPush,
        consentSms: c.consentSms,
        hasDevice: c.devices.length > 0,
      });
    }
  });

  it('counts a use exactly at the window start and not a millisecond before', async () => {
    const since = new Date(now.getTime() - 30 * DAY_MS);
    const atStart = await customers.newCustomer({ region: 'boundary', channels: { 'qr-payments': since } });
    await customers.newCustomer({
      region: 'boundary',
      channels: { 'qr-payments': new Date(since.getTime() - 1) },
    });
    const spec: AudienceSpec = {
      kind: 'affected',
      channels: [{ id: 'qr-payments', since: since.toISOString() }],
      regions: ['boundary'],
    };

    expectExactly(await collect(spec, randomUUID()), [atStart]);
  });

  it('reaches everywhere when the spec has no regions, and nobody through restored-only specs', async () => {
    const spec: AudienceSpec = {
      kind: 'affected',
      channels: windowsAt(now, { 'card-payments': 30 }),
      regions: null,
    };
    const expected = affectedBy(directory, spec).filter(isReachable);
    expect(new Set(expected.map((c) => c.region)).size).toBe(REGIONS.length);
    expectExactly(await collect(spec, randomUUID()), expected);
    expectExactly(await collect({ kind: 'affected', channels: [], regions: null }, randomUUID()), []);
  });

  it('resolves the spec intake froze for an event against the directory', async () => {
    const res = await sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .send(
        eventBody({
          channels: [
            { id: 'bill-payments', status: 'degraded' },
            { id: 'mobile-app', status: 'restored' },
          ],
          regions: ['bogota'],
        }),
      )
      .expect(202);
    const { audience_spec: spec } = await sut.db
      .selectFrom('notices')
      .select('audience_spec')
      .where('id', '=', res.body.noticeId)
      .executeTakeFirstOrThrow();

    const pages = await collect(spec, res.body.incidentId);

    expect(spec.channels.map((c) => c.id)).toEqual(['bill-payments']);
    const expected = affectedBy(directory, spec).filter(isReachable);
    expect(expected.length).toBeGreaterThan(20);
    expectExactly(pages, expected);
  });

  it('streams page by page: a customer added behind the cursor mid-stream still arrives', async () => {
    const recent = new Date(now.getTime() - DAY_MS);
    await customers.insertMany(
      Array.from({ length: 500 }, (_, i) => ({
        id: `s-${String(i).padStart(4, '0')}`,
        region: 'streaming',
        channels: { 'atm-network': recent },
      })),
    );
    const spec: AudienceSpec = {
      kind: 'affected',
      channels: windowsAt(now, { 'atm-network': 60 }),
      regions: ['streaming'],
    };
    const pages: AudienceMember[][] = [];
    const stream = query.pages(spec, randomUUID(), 50);

    const first = await stream.next();
    pages.push(first.value as AudienceMember[]);
    const lateComer = await customers.newCustomer({
      id: 's-0250a',
      region: 'streaming',
      channels: { 'atm-network': recent },
    });
    for await (const page of stream) pages.push(page);

    expect(pages[0].map((m) => m.customerId)).toEqual(
      Array.from({ length: 50 }, (_, i) => `s-${String(i).padStart(4, '0')}`),
    );
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(50);
    expect(pages.length).toBeGreaterThanOrEqual(11);
    const ids = pages.flat().map((m) => m.customerId);
    expect(ids).toContain(lateComer.id);
    expect(new Set(ids).size).toBe(501);
  });

  it('resumes after the last customer id a previous run handled', async () => {
    const spec: AudienceSpec = {
      kind: 'affected',
      channels: windowsAt(now, { 'mobile-app': 90 }),
      regions: null,
    };
    const everyone = (await collect(spec, randomUUID(), 100)).flat().map((m) => m.customerId);
    expect(everyone.length).toBeGreaterThan(300);
    const stoppedAt = everyone[249];

    const rest: AudienceMember[][] = [];
    for await (const page of query.pages(spec, randomUUID(), 100, stoppedAt)) rest.push(page);

    expect(rest.flat().map((m) => m.customerId)).toEqual(everyone.slice(250));
  });

  it('closes the loop with previous recipients who were sent or delivered and are still reachable', async () => {
    const ref = `INC-prev-${randomUUID()}`;
    const opened = await postEvent({ incidentRef: ref, occurredAt: '2026-11-25T10:00:00Z' });
    const updated = await postEvent({
      incidentRef: ref,
      type: 'updated',
      occurredAt: '2026-11-25T10:10:00Z',
    });
    const elsewhere = await postEvent({});
    const pool = directory.filter(isReachable).slice(0, 120);
    const states: DeliveryState[] = ['pending', 'sent', 'delivered', 'failed', 'skipped'];
    await insertDeliveries(opened.noticeId, pool.slice(0, 100), (i) => states[i % states.length]);
    await insertDeliveries(updated.noticeId, pool.slice(50, 120), (i) => (i % 2 ? 'delivered' : 'failed'));
    await insertDeliveries(elsewhere.noticeId, directory.slice(2000, 2050), () => 'sent');
    const told = new Set([
      ...pool.slice(0, 100).filter((_, i) => ['sent', 'delivered'].includes(states[i % states.length])),
      ...pool.slice(50, 120).filter((_, i) => i % 2 === 1),
    ]);
    const [gone, silenced] = [...told];
    await sut.db.deleteFrom('customers').where('id', '=', gone.id).execute();
    await sut.db
      .updateTable('customers')
      .set({ consent_push: false, consent_sms: false })
      .where('id', '=', silenced.id)
      .execute();

    const resolved = await postEvent({
      incidentRef: ref,
      type: 'resolved',
      occurredAt: '2026-11-25T11:00:00Z',
    });
    const { audience_spec: spec } = await sut.db
      .selectFrom('notices')
      .select('audience_spec')
      .where('id', '=', resolved.noticeId)
      .executeTakeFirstOrThrow();

    const pages = await collect(spec, opened.incidentId, 25);

    expect(told.size).toBeGreaterThan(50);
    expectExactly(
      pages,
      [...told].filter((c) => c !== gone && c !== silenced),
    );
  });

  async function postEvent(overrides: Parameters<typeof eventBody>[0]) {
    const res = await sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .send(eventBody(overrides))
      .expect(202);
    return res.body as { incidentId: string; noticeId: string };
  }

  async function insertDeliveries(
    noticeId: string,
    list: SeededCustomer[],
    state: (i: number) => DeliveryState,
  ) {
    await sut.db
      .insertInto('deliveries')
      .values(
        list.map((c, i) => ({
          notice_id: noticeId,
          customer_id: c.id,
          batch: 0,
          medium: 'push' as const,
          state: state(i),
        })),
      )
      .execute();
  }
});
