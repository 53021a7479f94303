import { EventBody, eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';
import { seededRandom } from '../support/seeded-random';

const CHANNELS = ['mobile-app', 'call-center', 'card-payments'] as const;
const STATUSES = ['down', 'degraded', 'restored'] as const;
const START = Date.UTC(2026, 10, 25, 0, 0, 0);

describe('Incident state under concurrent, out-of-order events', () => {
  let sut: TestApi;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    writer = await sut.bearer('events:write');
    reader = await sut.bearer('incidents:read');
  });
  afterAll(() => sut?.close());

  it('ends with each channel as the latest event naming it said, whatever order 200 events arrive in', async () => {
    const next = seededRandom(13);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const ref = `INC-order-${process.pid}`;
    // The opener says every channel is degraded; then 199 events a second apart each name one or two channels.
    const events: EventBody[] = Array.from({ length: 200 }, (_, i) => {
      const named = i === 0 ? [...CHANNELS] : CHANNELS.filter(() => next() < 0.4);
      return eventBody({
        incidentRef: ref,
        type: i === 0 ? 'opened' : pick(['updated', 'updated', 'updated', 'resolved'] as const),
        severity: pick(['critical', 'major', 'minor'] as const),
        channels: (named.length ? named : [pick(CHANNELS)]).map((id) => ({
          id,
          status: i === 0 ? 'degraded' : pick(STATUSES),
        })),
        occurredAt: new Date(START + i * 1000).toISOString(),
      });
    });
    // The trap: the newest event names only mobile-app and arrives first, and the latest word on every channel
    // is "down", unlike the opener's, so an older event applied or refused as a whole shows.
    const [opener, ...rest] = events;
    const newest = rest.pop()!;
    newest.channels = [{ id: 'mobile-app', status: 'down' }];
    for (const id of CHANNELS) {
      const report = [...rest, newest]
        .filter((e) => e.channels.some((c) => c.id === id))
        .pop()!
        .channels.find((c) => c.id === id)!;
      report.status = 'down';
    }
    const shuffled = rest
      .map((e) => ({ e, key: next() }))
      .sort((a, b) => a.key - b.key)
      .map(({ e }) => e);

    const first = await sut.http.post('/v1/events').set('Authorization', writer).send(opener).expect(202);
    await sut.http.post('/v1/events').set('Authorization', writer).send(newest).expect(202);
    const answers = await Promise.all(
      shuffled.map((e) => sut.http.post('/v1/events').set('Authorization', writer).send(e)),
    );

    expect(answers.map((a) => a.status)).toEqual(shuffled.map(() => 202));
    const latest = events[events.length - 1];
    const latestNaming = (id: string) => events.filter((e) => e.channels.some((c) => c.id === id)).pop()!;
    const incident = await sut.http
      .get(`/v1/incidents/${first.body.incidentId}`)
      .set('Authorization', reader)
      .expect(200);
    expect(incident.body).toMatchObject({
      status: latest.type === 'resolved' ? 'resolved' : 'open',
      severity: latest.severity,
      openedAt: opener.occurredAt,
      lastEventAt: latest.occurredAt,
    });
    const channels = Object.fromEntries(
      (incident.body.channels as { id: string; status: string }[]).map((c) => [c.id, c.status]),
    );
    expect(channels).toEqual(
      Object.fromEntries(
        CHANNELS.map((id) => [id, latestNaming(id).channels.find((c) => c.id === id)!.status]),
      ),
    );
    expect(channels).toEqual({ 'mobile-app': 'down', 'call-center': 'down', 'card-payments': 'down' });
    expect(incident.body.timeline).toHaveLength(200);
  });
});
