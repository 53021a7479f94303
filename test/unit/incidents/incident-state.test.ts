import fc from 'fast-check';
import { DomainError, ErrorCode } from '../../../src/common/errors/domain-error';
import {
  applyEvent,
  IncidentState,
  planChange,
  StateChangingEvent,
} from '../../../src/incidents/incident-state';
import { shippedCatalog } from '../../support/channel-catalog';

const catalog = shippedCatalog();

const at = (time: string) => new Date(`2026-11-25T${time}:00Z`);

function event(overrides: Partial<StateChangingEvent> = {}): StateChangingEvent {
  return {
    type: 'opened',
    severity: 'major',
    channels: [{ id: 'mobile-app', status: 'down' }],
    regions: ['antioquia'],
    occurredAt: at('10:00'),
    ...overrides,
  };
}

describe(applyEvent.name, () => {
  it('creates the incident from whichever event arrives first, whatever its type', () => {
    const { stale, state } = applyEvent(null, event({ type: 'updated', severity: 'minor' }));

    expect(stale).toBe(false);
    expect(state).toEqual<IncidentState>({
      status: 'open',
      severity: 'minor',
      channels: [{ id: 'mobile-app', status: 'down', reportedAt: at('10:00') }],
      regions: ['antioquia'],
      openedAt: at('10:00'),
      lastEventAt: at('10:00'),
    });
  });

  it("overrides the event's channel ids, keeps the others, and takes its severity and regions", () => {
    const { state: first } = applyEvent(null, event());

    const { state } = applyEvent(
      first,
      event({
        type: 'updated',
        severity: 'critical',
        regions: null,
        channels: [
          { id: 'card-payments', status: 'degraded' },
          { id: 'mobile-app', status: 'restored' },
        ],
        occurredAt: at('10:10'),
      }),
    );

    expect(state).toMatchObject({
      severity: 'critical',
      regions: null,
      channels: [
        { id: 'mobile-app', status: 'restored', reportedAt: at('10:10') },
        { id: 'card-payments', status: 'degraded', reportedAt: at('10:10') },
      ],
      lastEventAt: at('10:10'),
    });
  });

  it('marks an event stale when every channel it names has a newer report, keeps state, widens openedAt', () => {
    const { state: current } = applyEvent(
      null,
      event({
        type: 'updated',
        channels: [{ id: 'mobile-app', status: 'degraded' }],
        occurredAt: at('10:10'),
      }),
    );

    const { stale, state } = applyEvent(
      current,
      event({
        severity: 'critical',
        channels: [{ id: 'mobile-app', status: 'down' }],
        occurredAt: at('09:55'),
      }),
    );

    expect(stale).toBe(true);
    expect(state).toEqual({ ...current, openedAt: at('09:55') });
    expect(state.channels).toEqual([{ id: 'mobile-app', status: 'degraded', reportedAt: at('10:10') }]);
  });

  it('applies what an older event says about channels no newer event named, and nothing else', () => {
    const { state: current } = applyEvent(
      null,
      event({
        type: 'updated',
        severity: 'minor',
        channels: [{ id: 'mobile-app', status: 'degraded' }],
        occurredAt: at('10:10'),
      }),
    );

    const { stale, state } = applyEvent(
      current,
      event({
        severity: 'critical',
        regions: null,
        channels: [
          { id: 'mobile-app', status: 'down' },
          { id: 'call-center', status: 'down' },
        ],
        occurredAt: at('10:05'),
      }),
    );

    expect(stale).toBe(false);
    expect(state).toEqual({
      ...current,
      openedAt: at('10:05'),
      channels: [
        { id: 'mobile-app', status: 'degraded', reportedAt: at('10:10') },
        { id: 'call-center', status: 'down', reportedAt: at('10:05') },
      ],
    });
  });

  it('applies an event at the same instant as the last one', () => {
    const { state: current } = applyEvent(null, event());
    expect(applyEvent(current, event({ severity: 'minor' })).stale).toBe(false);
  });

  it('resolves on a resolved event and reopens on a later one', () => {
    const { state: resolved } = applyEvent(null, event({ type: 'resolved' }));
    expect(resolved.status).toBe('resolved');
    expect(applyEvent(resolved, event({ type: 'updated', occurredAt: at('11:00') })).state.status).toBe(
      'open',
    );
  });
});

describe(planChange.name, () => {
  const acceptedAt = new Date('2026-11-25T12:00:00.000Z');

  /** Mobile app and card payments down, then an update bringing the app back. */
  function mobileAppBackWhileCardsFail() {
    const { state: current } = applyEvent(
      null,
      event({
        channels: [
          { id: 'mobile-app', status: 'down' },
          { id: 'card-payments', status: 'down' },
        ],
      }),
    );
    return planChange(
      current,
      event({
        type: 'updated',
        channels: [{ id: 'mobile-app', status: 'restored' }],
        occurredAt: at('10:30'),
      }),
      catalog,
      acceptedAt,
    );
  }

  it('targets recent users of every channel not restored, with windows from acceptance time', () => {
    const change = mobileAppBackWhileCardsFail();

    expect(change.spec).toEqual({
      kind: 'affected',
      channels: [{ id: 'card-payments', since: '2026-10-26T12:00:00.000Z' }],
      regions: ['antioquia'],
    });
  });

  it('sends a resolved event to previous recipients', () => {
    const { state: current } = applyEvent(null, event());
    const resolved = event({ type: 'resolved', occurredAt: at('11:00') });
    expect(planChange(current, resolved, catalog, acceptedAt).spec).toEqual({
      kind: 'previous-recipients',
      channels: [],
      regions: null,
    });
  });

  it('refuses a resolved event for an incident it does not know', () => {
    expect(() => planChange(null, event({ type: 'resolved' }), catalog, acceptedAt)).toThrow(
      expect.objectContaining({ code: ErrorCode.IncidentUnknown }) as unknown as DomainError,
    );
  });

  it('tells an older event that still moved a channel while the incident is open', () => {
    const { state: current } = applyEvent(null, event({ occurredAt: at('11:00') }));
    const older = event({ type: 'updated', channels: [{ id: 'call-center', status: 'down' }] });

    expect(planChange(current, older, catalog, acceptedAt)).toMatchObject({
      stale: false,
      spec: { kind: 'affected', channels: [{ id: 'mobile-app' }, { id: 'call-center' }] },
    });
  });

  it('tells nothing from an older event that contradicts the newest word on open or resolved', () => {
    const { state: resolved } = applyEvent(
      null,
      event({ type: 'resolved', channels: [], occurredAt: at('11:00') }),
    );
    const olderOutage = event({ type: 'updated', channels: [{ id: 'call-center', status: 'down' }] });
    expect(planChange(resolved, olderOutage, catalog, acceptedAt)).toMatchObject({
      stale: false,
      spec: null,
    });

    const { state: open } = applyEvent(
      null,
      event({ type: 'updated', channels: [], occurredAt: at('11:00') }),
    );
    const olderAllClear = event({ type: 'resolved', channels: [{ id: 'mobile-app', status: 'restored' }] });
    const change = planChange(open, olderAllClear, catalog, acceptedAt);
    expect(change).toMatchObject({ stale: false, spec: null, state: { status: 'open' } });
  });

  it('starts a restoration when an event brings back a failing channel, naming every channel that is back', () => {
    const change = mobileAppBackWhileCardsFail();
    expect(change.restoration).toEqual({
      spec: {
        kind: 'restored',
        channels: [{ id: 'card-payments', since: '2026-10-26T12:00:00.000Z' }],
        regions: null,
      },
      subject: [{ id: 'mobile-app', since: '2026-08-27T12:00:00.000Z' }],
    });
    expect(change.subject).toEqual([{ id: 'card-payments', since: '2026-10-26T12:00:00.000Z' }]);
  });

  it('starts no restoration when nothing comes back, nor at resolution, which tells everyone left', () => {
    const { state: current } = applyEvent(null, event());
    const again = event({
      type: 'updated',
      channels: [{ id: 'mobile-app', status: 'degraded' }],
      occurredAt: at('10:30'),
    });
    expect(planChange(current, again, catalog, acceptedAt).restoration).toBeNull();
    const resolved = planChange(
      current,
      event({
        type: 'resolved',
        channels: [{ id: 'mobile-app', status: 'restored' }],
        occurredAt: at('11:00'),
      }),
      catalog,
      acceptedAt,
    );
    expect(resolved).toMatchObject({ restoration: null, subject: [{ id: 'mobile-app' }] });
  });

  it('plans no notice for a stale event', () => {
    const { state: current } = applyEvent(null, event({ occurredAt: at('11:00') }));
    expect(planChange(current, event(), catalog, acceptedAt)).toMatchObject({ stale: true, spec: null });
  });
});

describe('event order', () => {
  const channelIds = ['mobile-app', 'call-center', 'card-payments'];
  const reported = fc.record({
    id: fc.constantFrom(...channelIds),
    status: fc.constantFrom('down' as const, 'degraded' as const, 'restored' as const),
  });
  /** Events at distinct instants, so "the latest event naming a channel" is one event. */
  const events = fc
    .uniqueArray(fc.integer({ min: 0, max: 24 * 3600 }), { minLength: 1, maxLength: 30 })
    .chain((seconds) =>
      fc.tuple(
        ...seconds.map((s) =>
          fc.record({
            type: fc.constantFrom('opened' as const, 'updated' as const, 'resolved' as const),
            severity: fc.constantFrom('critical' as const, 'major' as const, 'minor' as const),
            channels: fc.uniqueArray(reported, { selector: (c) => c.id, maxLength: 3 }),
            regions: fc.option(fc.constant<string[]>(['antioquia'])),
            occurredAt: fc.constant(new Date(Date.UTC(2026, 10, 25) + s * 1000)),
          }),
        ),
      ),
    );

  /** The rule written out directly, without applying anything: each part follows its latest event. */
  function expected(all: StateChangingEvent[]) {
    const byTime = [...all].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const last = byTime[byTime.length - 1];
    const channels = new Map<string, { id: string; status: string; reportedAt: Date }>();
    for (const e of byTime)
      for (const c of e.channels) channels.set(c.id, { ...c, reportedAt: e.occurredAt });
    return {
      status: last.type === 'resolved' ? 'resolved' : 'open',
      severity: last.severity,
      regions: last.regions,
      openedAt: byTime[0].occurredAt,
      lastEventAt: last.occurredAt,
      channels: [...channels.values()].sort((a, b) => a.id.localeCompare(b.id)),
    };
  }

  it('ends in the same state, the latest word on each part, whatever order the events arrive in', () => {
    fc.assert(
      fc.property(
        events.chain((all) =>
          fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length })),
        ),
        ([all, arrival]) => {
          let state: IncidentState | null = null;
          for (const e of arrival) state = applyEvent(state, e).state;
          const { channels, ...rest } = state!;
          expect({ ...rest, channels: [...channels].sort((a, b) => a.id.localeCompare(b.id)) }).toEqual(
            expected(all),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('calls an event stale exactly when something newer was applied about everything it says', () => {
    fc.assert(
      fc.property(events, (arrival) => {
        let state: IncidentState | null = null;
        arrival.forEach((e, i) => {
          const before = arrival.slice(0, i);
          const newer = (c?: string) =>
            before.some(
              (b) => b.occurredAt > e.occurredAt && (c === undefined || b.channels.some((x) => x.id === c)),
            );
          const stale = newer() && e.channels.every((c) => newer(c.id));
          const applied = applyEvent(state, e);
          expect(applied.stale).toBe(stale);
          state = applied.state;
        });
      }),
      { numRuns: 500 },
    );
  });
});
