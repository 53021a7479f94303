import { IntlMessageFormat } from 'intl-messageformat';
import { ChannelCatalog, findChannel } from '../config/channel-catalog';
import type { ChannelState, ChannelStatus, EventType, IncidentStatus, Severity } from '../database/schema';

type Localized = Record<string, string>;

/** What customers may see of an incident: no customer data, no internal ids, no counts of recipients. */
export interface PublicIncident {
  /** The incident's public reference, the one id the bank quotes to customers. */
  ref: string;
  status: IncidentStatus;
  severity: Severity;
  openedAt: string;
  /** When the resolving event occurred; null while open. */
  resolvedAt: string | null;
  channels: { id: string; name: Localized; status: ChannelStatus }[];
  /** Of the latest update, while the incident is open. */
  nextUpdateAt: string | null;
  /** Oldest first. */
  updates: PublicUpdate[];
}

interface PublicUpdate {
  type: EventType;
  at: string;
  title: Localized | null;
  message: Localized | null;
  advice: Localized | null;
  /** The catalog's assurances the event named ("your money is safe"), in the catalog's words. */
  assurances: Localized[];
  nextUpdateAt: string | null;
}

export interface StatusSnapshot {
  generatedAt: string;
  locales: string[];
  defaultLocale: string;
  incidents: PublicIncident[];
}

/** The rows a snapshot is built from; the event body is read only for its public texts. */
export interface IncidentForStatus {
  ref: string;
  status: IncidentStatus;
  severity: Severity;
  channels: ChannelState[];
  openedAt: Date;
  lastEventAt: Date;
  events: { type: EventType; occurredAt: Date; body: Record<string, unknown> }[];
}

/** Builds the public snapshot; incidents keep the order given (open first, newest first). */
export function buildSnapshot(
  incidents: IncidentForStatus[],
  catalog: ChannelCatalog,
  generatedAt: Date,
): StatusSnapshot {
  return {
    generatedAt: generatedAt.toISOString(),
    locales: [...catalog.locales],
    defaultLocale: catalog.defaultLocale,
    incidents: incidents.map((incident) => publicIncident(incident, catalog)),
  };
}

function publicIncident(incident: IncidentForStatus, catalog: ChannelCatalog): PublicIncident {
  const updates = incident.events.map((event) => publicUpdate(event, catalog));
  const open = incident.status === 'open';
  return {
    ref: incident.ref,
    status: incident.status,
    severity: incident.severity,
    openedAt: incident.openedAt.toISOString(),
    resolvedAt: open ? null : incident.lastEventAt.toISOString(),
    channels: incident.channels.map((c) => ({
      id: c.id,
      name: { ...(findChannel(catalog, c.id)?.names ?? {}) },
      status: c.status,
    })),
    nextUpdateAt: open ? (updates[updates.length - 1]?.nextUpdateAt ?? null) : null,
    updates,
  };
}

/**
 * Only the texts the bank wrote for this event; the catalog's notice templates are filled per customer, so the page
 * names the update's type where the event gave no title. nextUpdateAt is optional, so it is read defensively.
 */
function publicUpdate(event: IncidentForStatus['events'][number], catalog: ChannelCatalog): PublicUpdate {
  const { title, message, advice, assurances, nextUpdateAt } = event.body;
  const when = typeof nextUpdateAt === 'string' ? new Date(nextUpdateAt) : null;
  return {
    type: event.type,
    at: event.occurredAt.toISOString(),
    title: localizedOrNull(title),
    message: localizedOrNull(message),
    advice: localizedOrNull(advice),
    assurances: (Array.isArray(assurances) ? assurances : []).flatMap((id) => {
      const texts = typeof id === 'string' ? catalog.notices.assurances[id] : undefined;
      return texts ? [plainTexts(texts)] : [];
    }),
    nextUpdateAt: when && !Number.isNaN(when.getTime()) ? when.toISOString() : null,
  };
}

function localizedOrNull(value: unknown): Localized | null {
  if (!value || typeof value !== 'object') return null;
  const texts = Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
  return texts.length ? Object.fromEntries(texts) : null;
}

/** Catalog texts are ICU messages; assurances have no slots, so formatting them only resolves ICU escapes. */
function plainTexts(texts: Localized): Localized {
  return Object.fromEntries(
    Object.entries(texts).map(([locale, text]) => [
      locale,
      String(new IntlMessageFormat(text, locale).format()),
    ]),
  );
}
