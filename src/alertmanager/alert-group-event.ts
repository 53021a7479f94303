import { createHash } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error';
import type { AlertmanagerMapping } from '../config/alertmanager-mapping';
import type { ChannelStatus, EventType, Severity } from '../database/schema';
import type { Alert, AlertGroup } from './alert-group';

/** An Alertmanager group as an incident event: its id, its incident and a body `POST /v1/events` would take. */
export interface AlertGroupEvent {
  id: string;
  incidentRef: string;
  /** Builds the body from the group and its incident as it stands (undefined: not known yet). */
  body(incident: { open: boolean; lastEventAt: Date } | undefined): Record<string, unknown>;
}

const SEVERITY_RANK: Record<Severity, number> = { minor: 0, major: 1, critical: 2 };
const STATUS_RANK: Record<ChannelStatus, number> = { restored: 0, degraded: 1, down: 2 };
const REF_HASH_CHARS = 12;
/** incidentRef is at most 64 characters: `am-`, the alertname, `-`, the group key's hash. */
const REF_NAME_CHARS = 64 - 3 - 1 - REF_HASH_CHARS;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Translates one Alertmanager notification. One group is one incident. Alerts without the channel label are not
 * Aviso's and are left out; a group with none of them gives null.
 *
 * The event id is a hash of what makes the group's state: the group key and, while anything fires, the firing alerts
 * (fingerprint and start), or, once all are resolved, all of them. Alertmanager re-sends a group every
 * repeat_interval, and drops resolved alerts after notifying them once; both re-sends give an id already stored, so
 * intake answers them as duplicates and nobody is told twice. An alert that fires again has a new start, hence a
 * new id.
 */
export function alertGroupEvent(group: AlertGroup, mapping: AlertmanagerMapping): AlertGroupEvent | null {
  const alerts = group.alerts
    .filter((a) => a.labels[mapping.labels.channel])
    .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
  if (!alerts.length) return null;
  const firing = alerts.filter((a) => a.status === 'firing');
  const resolved = !firing.length;
  // What the notice is about: the firing alerts, or all of them once the group is resolved.
  const subject = resolved ? alerts : firing;
  const state = subject.map((a) => `${a.fingerprint}@${a.startsAt}`).join(',');
  const id = `am-${sha256(`${group.groupKey}\n${resolved ? 'resolved' : 'firing'}\n${state}`).slice(0, 40)}`;
  const incidentRef = refOf(group);
  const channels = channelsOf(alerts, mapping);
  return {
    id,
    incidentRef,
    body: (incident) => {
      const type: EventType = resolved ? 'resolved' : incident?.open ? 'updated' : 'opened';
      const regions = regionsOf(subject, mapping);
      return {
        id,
        incidentRef,
        type,
        severity: worstSeverity(subject, mapping),
        channels,
        ...(regions && { regions }),
        message: messageOf(subject, mapping),
        occurredAt: occurredAtOf(alerts, incident?.lastEventAt).toISOString(),
      };
    },
  };
}

/** Readable and stable: the group's alertname, then a hash of the group key (which names the route and labels). */
function refOf(group: AlertGroup): string {
  const name = group.groupLabels.alertname ?? group.commonLabels.alertname ?? 'group';
  const slug = name.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, REF_NAME_CHARS);
  return `am-${slug}-${sha256(group.groupKey).slice(0, REF_HASH_CHARS)}`;
}

function worstSeverity(alerts: Alert[], mapping: AlertmanagerMapping): Severity {
  return alerts
    .map((a) => mapping.severities[a.labels[mapping.labels.severity] ?? ''] ?? mapping.defaultSeverity)
    .reduce((worst, s) => (SEVERITY_RANK[s] > SEVERITY_RANK[worst] ? s : worst));
}

/** Firing alerts mark their channel, resolved ones restore it; a channel with both stays marked. */
function channelsOf(alerts: Alert[], mapping: AlertmanagerMapping) {
  const statuses = new Map<string, ChannelStatus>();
  alerts.forEach((alert) => {
    const id = alert.labels[mapping.labels.channel];
    const given = alert.labels[mapping.labels.status];
    let status: ChannelStatus = 'restored';
    if (alert.status === 'firing') {
      if (given !== undefined && given !== 'down' && given !== 'degraded') {
        throw DomainError.validation([
          {
            field: `alerts[fingerprint=${alert.fingerprint}].labels.${mapping.labels.status}`,
            reason: `must be down or degraded, not ${given}`,
          },
        ]);
      }
      status = given ?? mapping.defaultStatus;
    }
    const before = statuses.get(id);
    if (!before || STATUS_RANK[status] > STATUS_RANK[before]) statuses.set(id, status);
  });
  return [...statuses].map(([id, status]) => ({ id, status }));
}

/** Regions named by the alerts; one alert without a region makes the incident everywhere (undefined). */
function regionsOf(alerts: Alert[], mapping: AlertmanagerMapping): string[] | undefined {
  const regions = alerts.map((a) => a.labels[mapping.labels.region]);
  if (regions.some((r) => r === undefined)) return undefined;
  return [...new Set(regions as string[])].sort();
}

/** Each locale's text from the first alert that has its annotation. */
function messageOf(alerts: Alert[], mapping: AlertmanagerMapping) {
  const message: Record<string, string> = {};
  for (const [locale, annotation] of Object.entries(mapping.messageAnnotations)) {
    const text = alerts.find((a) => a.annotations[annotation])?.annotations[annotation];
    if (text) message[locale] = text;
  }
  return message;
}

/**
 * The latest start or end among the alerts, but never before the incident's last event: an alert that started
 * before another ended can be notified after it, and must not make the event stale. Taken from stored state rather
 * than the clock, so the same notification twice gives the same body.
 */
function occurredAtOf(alerts: Alert[], lastEventAt: Date | undefined): Date {
  const times = alerts.map((a) => Date.parse(a.status === 'resolved' && a.endsAt ? a.endsAt : a.startsAt));
  return new Date(Math.max(...times, lastEventAt?.getTime() ?? 0));
}
