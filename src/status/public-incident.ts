import { applyEvent, IncidentState } from '../incidents/incident-state';
import type { ChannelState, EventType, Severity } from '../database/schema';
import { IncidentForStatus } from './status-snapshot';

/**
 * An event whose effect customers may see: its notice was released (within APPROVAL_THRESHOLD, or approved) and
 * not cancelled, or it started no notice that could be held.
 */
export interface PublishedEvent {
  type: EventType;
  occurredAt: Date;
  /** The stored event, as validated at intake. */
  body: Record<string, unknown>;
  /** It started a notice: its texts are public. One that started none only moves channels, as it did inside. */
  told: boolean;
}

/**
 * The incident as its published events make it, applied by the same rule as inside: a held, rejected or cancelled
 * notice's event moves no channel on the page and says nothing there. null while no notice of it is public, so an
 * incident whose opening awaits approval does not appear at all.
 */
export function publicIncident(ref: string, events: PublishedEvent[]): IncidentForStatus | null {
  if (!events.some((e) => e.told)) return null;
  let state: IncidentState | null = null;
  for (const event of events) {
    const { severity, channels } = event.body as { severity: Severity; channels: ChannelState[] };
    state = applyEvent(state, {
      type: event.type,
      severity,
      channels,
      regions: null,
      occurredAt: event.occurredAt,
    }).state;
  }
  if (!state) return null;
  return {
    ref,
    status: state.status,
    severity: state.severity,
    channels: state.channels.map(({ id, status }) => ({ id, status })),
    openedAt: state.openedAt,
    lastEventAt: state.lastEventAt,
    // Stable: events of the same instant keep the order they were applied in.
    events: events
      .filter((e) => e.told)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
      .map(({ type, occurredAt, body }) => ({ type, occurredAt, body })),
  };
}
