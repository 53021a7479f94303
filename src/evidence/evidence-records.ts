import { maskPhone, maskToken } from '../common/logging/mask';
import type { AuditRow } from '../audit/audit.repository';
import type { DeliveryEvidenceRow } from './evidence.repository';

/** One line of an evidence export. Field names are the NDJSON keys; CSV_COLUMNS orders them for CSV. */
export type EvidenceRecord =
  | {
      record: 'delivery';
      noticeId: string;
      noticeKind: string;
      customerId: string;
      medium: string;
      destination: string;
      state: string;
      reason: string | null;
      providerCode: string | null;
      providerMessageId: string | null;
      segments: number | null;
      plannedAt: string;
      sentAt: string | null;
      deliveredAt: string | null;
      failedAt: string | null;
    }
  | {
      record: 'event';
      eventId: string;
      eventType: string;
      occurredAt: string;
      receivedAt: string;
      actor: string;
      stale: boolean;
      noticeId: string | null;
      detail: Record<string, unknown>;
    }
  | {
      record: 'audit';
      auditId: string;
      at: string;
      actor: string;
      action: string;
      target: string;
      detail: Record<string, unknown> | null;
    };

export const CSV_COLUMNS = [
  'record',
  'noticeId',
  'noticeKind',
  'customerId',
  'medium',
  'destination',
  'state',
  'reason',
  'providerCode',
  'providerMessageId',
  'segments',
  'plannedAt',
  'sentAt',
  'deliveredAt',
  'failedAt',
  'eventId',
  'eventType',
  'occurredAt',
  'receivedAt',
  'stale',
  'auditId',
  'at',
  'actor',
  'action',
  'target',
  'detail',
] as const;

/** Destinations masked as in the logs: enough to tell two apart, not enough to reach anyone. */
export function deliveryRecord(row: DeliveryEvidenceRow): EvidenceRecord {
  const destination =
    row.medium === 'sms' ? maskPhone(row.phone) : (row.tokens ?? []).map((t) => maskToken(t)).join(' ');
  // The ledger keeps one row per delivery: its last change is when it was delivered or failed.
  const finished = row.updated_at.toISOString();
  return {
    record: 'delivery',
    noticeId: row.notice_id,
    noticeKind: row.notice_kind,
    customerId: row.customer_id,
    medium: row.medium,
    destination,
    state: row.state,
    reason: row.reason,
    providerCode: row.provider_code,
    providerMessageId: row.provider_message_id,
    segments: row.segments,
    plannedAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    deliveredAt: row.state === 'delivered' ? finished : null,
    failedAt: row.state === 'failed' ? finished : null,
  };
}

export function eventRecord(row: {
  id: string;
  type: string;
  occurred_at: Date;
  received_at: Date;
  received_by: string;
  stale: boolean;
  notice_id: string | null;
  body: Record<string, unknown>;
}): EvidenceRecord {
  return {
    record: 'event',
    eventId: row.id,
    eventType: row.type,
    occurredAt: row.occurred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    actor: `key:${row.received_by}`,
    stale: row.stale,
    noticeId: row.notice_id,
    detail: row.body,
  };
}

export function auditRecord(row: AuditRow): EvidenceRecord {
  return {
    record: 'audit',
    auditId: String(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: row.detail,
  };
}
