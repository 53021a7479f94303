import { ChannelCatalog, findChannel } from '../config/channel-catalog';
import {
  AudienceSpec,
  ChannelState,
  EventType,
  IncidentRow,
  IncidentStatus,
  Severity,
} from '../database/schema';

const DAY_MS = 24 * 3600 * 1000;

/** What an incident looks like after the events applied so far. */
export interface IncidentState {
  status: IncidentStatus;
  severity: Severity;
  channels: ChannelState[];
  /** null: everywhere. */
  regions: string[] | null;
  openedAt: Date;
  /** occurredAt of the newest applied event: anything older is stale. */
  lastEventAt: Date;
}

/** The parts of an event that move incident state. */
export interface StateChangingEvent {
  type: EventType;
  severity: Severity;
  channels: ChannelState[];
  regions: string[] | null;
  occurredAt: Date;
}

export interface IncidentChange {
  stale: boolean;
  state: IncidentState;
  /** Who the event's notice is for; null when the event is stale and gets no notice. */
  spec: AudienceSpec | null;
}

/**
 * Applies an event to the incident (null: the event creates it). Delivery between data centers is out of order,
 * so an event older than one already applied is stale: it only widens openedAt and never moves state backwards.
 */
export function applyEvent(
  current: IncidentState | null,
  event: StateChangingEvent,
): { stale: boolean; state: IncidentState } {
  if (current && event.occurredAt < current.lastEventAt) {
    return { stale: true, state: { ...current, openedAt: earliest(current.openedAt, event.occurredAt) } };
  }
  const channels = current ? [...current.channels] : [];
  for (const update of event.channels) {
    const at = channels.findIndex((c) => c.id === update.id);
    if (at >= 0) channels[at] = { id: update.id, status: update.status };
    else channels.push({ id: update.id, status: update.status });
  }
  return {
    stale: false,
    state: {
      status: event.type === 'resolved' ? 'resolved' : 'open',
      severity: event.severity,
      channels,
      regions: event.regions,
      openedAt: current ? earliest(current.openedAt, event.occurredAt) : event.occurredAt,
      lastEventAt: event.occurredAt,
    },
  };
}

/**
 * The audience of an accepted event, frozen at acceptance: opened/updated events reach recent users of every
 * channel still not restored; a resolved event closes the loop with exactly those who were told before.
 */
function audienceSpecFor(
  type: EventType,
  state: IncidentState,
  catalog: ChannelCatalog,
  acceptedAt: Date,
): AudienceSpec {
  if (type === 'resolved') return { kind: 'previous-recipients', channels: [], regions: null };
  const channels = state.channels
    .filter((c) => c.status !== 'restored')
    .map((c) => {
      const windowDays = findChannel(catalog, c.id)?.activityWindowDays;
      if (windowDays === undefined) throw new Error(`Channel ${c.id} is not in the catalog`);
      return { id: c.id, since: new Date(acceptedAt.getTime() - windowDays * DAY_MS).toISOString() };
    });
  return { kind: 'affected', channels, regions: state.regions };
}

/** The one rule set intake and preview share: the new state, whether the event is stale, and its audience. */
export function planChange(
  current: IncidentState | null,
  event: StateChangingEvent,
  catalog: ChannelCatalog,
  acceptedAt: Date,
): IncidentChange {
  const { stale, state } = applyEvent(current, event);
  return { stale, state, spec: stale ? null : audienceSpecFor(event.type, state, catalog, acceptedAt) };
}

export function stateOf(row: IncidentRow): IncidentState {
  return {
    status: row.status,
    severity: row.severity,
    channels: row.channels,
    regions: row.regions,
    openedAt: row.opened_at,
    lastEventAt: row.last_event_at,
  };
}

function earliest(a: Date, b: Date): Date {
  return a <= b ? a : b;
}
