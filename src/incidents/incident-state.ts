import { DomainError, ErrorCode } from '../common/errors/domain-error';
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

/** A channel's status as the latest event naming it reported it. */
export interface IncidentChannel extends ChannelState {
  /** occurredAt of that event: an older report about this channel is stale for it. */
  reportedAt: Date;
}

/** What an incident looks like after the events applied so far. */
export interface IncidentState {
  status: IncidentStatus;
  severity: Severity;
  channels: IncidentChannel[];
  /** null: everywhere. */
  regions: string[] | null;
  openedAt: Date;
  /** occurredAt of the newest applied event: status, severity and regions are that event's. */
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
  /** Who the event's notice is for; null when the event gets no notice. */
  spec: AudienceSpec | null;
  /** The channels the notice speaks of, each with its activity window: the failing ones, or all at resolution. */
  subject: AudienceSpec['channels'];
  /** When the event brings channels back: the `restored` notice for those told whose channels are all back. */
  restoration: { spec: AudienceSpec; subject: AudienceSpec['channels'] } | null;
}

interface AppliedEvent {
  /** Nothing in the event was newer than what the incident already knew. */
  stale: boolean;
  /** The event is the incident's newest: its type, severity and regions are the incident's now. */
  latest: boolean;
  state: IncidentState;
}

/**
 * Applies an event to the incident (null: the event creates it). Delivery between data centers is out of order,
 * so each part of the state follows the newest event, by occurredAt, that speaks about it: a channel's status is
 * that of the latest event naming the channel; status, severity and regions are those of the latest event overall.
 * An event is stale only where something newer was already applied; the rest of it still applies. At the same
 * instant, the event applied last wins.
 */
export function applyEvent(current: IncidentState | null, event: StateChangingEvent): AppliedEvent {
  const latest = !current || event.occurredAt >= current.lastEventAt;
  const channels = current ? [...current.channels] : [];
  let channelApplied = false;
  for (const { id, status } of event.channels) {
    const at = channels.findIndex((c) => c.id === id);
    if (at >= 0 && event.occurredAt < channels[at].reportedAt) continue;
    const reported = { id, status, reportedAt: event.occurredAt };
    if (at >= 0) channels[at] = reported;
    else channels.push(reported);
    channelApplied = true;
  }
  const openedAt = current ? earliest(current.openedAt, event.occurredAt) : event.occurredAt;
  if (current && !latest) {
    return { stale: !channelApplied, latest, state: { ...current, channels, openedAt } };
  }
  return {
    stale: false,
    latest,
    state: {
      status: event.type === 'resolved' ? 'resolved' : 'open',
      severity: event.severity,
      channels,
      regions: event.regions,
      openedAt,
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
  const failing = state.channels.filter((c) => c.status !== 'restored');
  return {
    kind: 'affected',
    channels: activityWindows(failing, catalog, acceptedAt),
    regions: state.regions,
  };
}

/** Each channel with the start of its activity window: who used it since then is affected by it. */
function activityWindows(
  channels: ChannelState[],
  catalog: ChannelCatalog,
  acceptedAt: Date,
): AudienceSpec['channels'] {
  return channels.map((c) => {
    const windowDays = findChannel(catalog, c.id)?.activityWindowDays;
    if (windowDays === undefined) throw new Error(`Channel ${c.id} is not in the catalog`);
    return { id: c.id, since: new Date(acceptedAt.getTime() - windowDays * DAY_MS).toISOString() };
  });
}

/** A resolved event never creates its incident: it would be a closed incident whose notice reaches nobody. */
export function incidentUnknown(): DomainError {
  return new DomainError(
    ErrorCode.IncidentUnknown,
    'A resolved event needs an incident that is already known; send the event that opened it first.',
    [{ field: 'incidentRef', reason: 'no incident with this ref exists' }],
  );
}

/**
 * The one rule set intake and preview share: the new state, whether the event is stale, and its audience.
 * An older event that still moved a channel is told only while it agrees with the incident's newest word: an
 * old outage report after the all-clear, or an old all-clear while a newer report keeps the incident open,
 * would tell customers something no longer true.
 */
export function planChange(
  current: IncidentState | null,
  event: StateChangingEvent,
  catalog: ChannelCatalog,
  acceptedAt: Date,
): IncidentChange {
  if (!current && event.type === 'resolved') throw incidentUnknown();
  const { stale, latest, state } = applyEvent(current, event);
  const told = latest || (state.status === 'open' && event.type !== 'resolved');
  if (stale || !told) return { stale, state, spec: null, subject: [], restoration: null };
  const spec = audienceSpecFor(event.type, state, catalog, acceptedAt);
  if (event.type === 'resolved') {
    const subject = activityWindows(state.channels, catalog, acceptedAt);
    return { stale, state, spec, subject, restoration: null };
  }
  return {
    stale,
    state,
    spec,
    subject: spec.channels,
    restoration: restorationOf(current, state, spec, catalog, acceptedAt),
  };
}

/**
 * An event that brings back a channel that was failing starts a `restored` notice too: to customers told about
 * the incident who use none of the channels still failing (those hear the update instead), naming every channel
 * of the incident that is back.
 */
function restorationOf(
  before: IncidentState | null,
  after: IncidentState,
  update: AudienceSpec,
  catalog: ChannelCatalog,
  acceptedAt: Date,
): IncidentChange['restoration'] {
  const wasFailing = new Set(before?.channels.filter((c) => c.status !== 'restored').map((c) => c.id));
  const back = after.channels.filter((c) => c.status === 'restored');
  if (!back.some((c) => wasFailing.has(c.id))) return null;
  return {
    spec: { kind: 'restored', channels: update.channels, regions: null },
    subject: activityWindows(back, catalog, acceptedAt),
  };
}

export function stateOf(row: IncidentRow): IncidentState {
  return {
    status: row.status,
    severity: row.severity,
    // Rows written before channels carried their own time were applied in order: the incident's time is theirs.
    channels: row.channels.map((c) => ({
      id: c.id,
      status: c.status,
      reportedAt: new Date(c.reportedAt ?? row.last_event_at),
    })),
    regions: row.regions,
    openedAt: row.opened_at,
    lastEventAt: row.last_event_at,
  };
}

function earliest(a: Date, b: Date): Date {
  return a <= b ? a : b;
}
