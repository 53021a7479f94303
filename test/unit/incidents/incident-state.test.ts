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
      channels: [{ id: 'mobile-app', status: 'down' }],
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
        { id: 'mobile-app', status: 'restored' },
        { id: 'card-payments', status: 'degraded' },
      ],
      lastEventAt: at('10:10'),
    });
  });

  it('marks an event older than the last applied one stale and keeps state, but widens openedAt', () => {
    const { state: current } = applyEvent(null, event({ type: 'updated', occurredAt: at('10:10') }));

    const { stale, state } = applyEvent(current, event({ severity: 'critical', occurredAt: at('09:55') }));

    expect(stale).toBe(true);
    expect(state).toEqual({ ...current, openedAt: at('09:55') });
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

  it('targets recent users of every channel not restored, with windows from acceptance time', () => {
    const { state: current } = applyEvent(
      null,
      event({
        channels: [
          { id: 'mobile-app', status: 'down' },
          { id: 'card-payments', status: 'down' },
        ],
      }),
    );

    const change = planChange(
      current,
      event({
        type: 'updated',
        channels: [{ id: 'mobile-app', status: 'restored' }],
        occurredAt: at('10:30'),
      }),
      catalog,
      acceptedAt,
    );

    expect(change.spec).toEqual({
      kind: 'affected',
      channels: [{ id: 'card-payments', since: '2026-10-26T12:00:00.000Z' }],
      regions: ['antioquia'],
    });
  });

  it('sends a resolved event to previous recipients', () => {
    expect(planChange(null, event({ type: 'resolved' }), catalog, acceptedAt).spec).toEqual({
      kind: 'previous-recipients',
      channels: [],
      regions: null,
    });
  });

  it('plans no notice for a stale event', () => {
    const { state: current } = applyEvent(null, event({ occurredAt: at('11:00') }));
    expect(planChange(current, event(), catalog, acceptedAt)).toMatchObject({ stale: true, spec: null });
  });
});
