import type { ColumnType, Generated, Selectable } from 'kysely';

/** Timestamps are written as Date or ISO text and read back as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Medium = 'push' | 'sms';
export type EventType = 'opened' | 'updated' | 'resolved';
export type Severity = 'critical' | 'major' | 'minor';
export type ChannelStatus = 'down' | 'degraded' | 'restored';
export type IncidentStatus = 'open' | 'resolved';
export type NoticeState = 'planning' | 'awaiting-approval' | 'sending' | 'done' | 'cancelled' | 'rejected';
export type Rejection = 'rejected' | 'expired' | 'superseded';
export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'failed' | 'skipped';

export interface ApiKeysTable {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string[];
  created_at: GeneratedTimestamp;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: GeneratedTimestamp;
  actor: string;
  action: string;
  target: string;
  detail: Json<Record<string, unknown>> | null;
}

export interface CustomersTable {
  id: string;
  locale: string;
  time_zone: string;
  region: string | null;
  phone: string | null;
  consent_push: boolean;
  consent_sms: boolean;
  /** Channel id → when the customer last used it, in epoch milliseconds. */
  channels: ColumnType<ChannelActivity, string | undefined, string>;
  /** True exactly when the customer has a row in `devices`; every write to `devices` keeps it so. */
  has_device: Generated<boolean>;
  updated_at: GeneratedTimestamp;
}

export type ChannelActivity = Record<string, number>;

export interface DevicesTable {
  token: string;
  customer_id: string;
  platform: 'android' | 'ios' | 'web';
  last_seen: Timestamp | null;
}

export interface ChannelState {
  id: string;
  status: ChannelStatus;
}

/** A channel's state as stored on its incident; reportedAt is missing on rows written before it existed. */
export interface StoredChannelState extends ChannelState {
  /** occurredAt of the latest event naming the channel, ISO 8601. */
  reportedAt?: string;
}

export interface IncidentsTable {
  id: string;
  ref: string;
  status: IncidentStatus;
  severity: Severity;
  channels: Json<StoredChannelState[]>;
  regions: string[] | null;
  opened_at: Timestamp;
  last_event_at: Timestamp;
  updated_at: GeneratedTimestamp;
}

export interface EventsTable {
  id: string;
  incident_id: string;
  type: EventType;
  body: Json<Record<string, unknown>>;
  body_hash: string;
  occurred_at: Timestamp;
  received_at: GeneratedTimestamp;
  stale: boolean;
  notice_id: string | null;
  received_by: string;
}

/**
 * What a notice was planned against, frozen when its event was accepted so that replays see the same audience.
 * `affected`: recent users of `channels`. `previous-recipients`: those told about the incident, except those whose
 * last word was that their channels are back. `restored`: those told, not told it is back, using none of `channels`
 * (the ones still failing).
 */
export interface AudienceSpec {
  kind: 'affected' | 'previous-recipients' | 'restored';
  channels: { id: string; since: string }[];
  regions: string[] | null;
}

/** What a notice says, as its event gave it: texts keyed by locale (each with the default locale when given). */
export interface NoticeContent {
  message?: Record<string, string>;
  title?: Record<string, string>;
  advice?: Record<string, string>;
  /** Catalog assurance ids, told in this order. */
  assurances?: string[];
  /** When the next update is due (ISO-8601), told in each customer's time zone. */
  nextUpdateAt?: string;
  /** The channels the notice speaks of, with each one's activity window: each customer is told of their own. */
  channels?: { id: string; since: string }[];
}

/** A notice's kind: its event's type, or `restored`, told to customers whose affected channels are all back. */
export type NoticeKind = EventType | 'restored';

export interface NoticesTable {
  id: string;
  incident_id: string;
  event_id: string;
  type: NoticeKind;
  severity: Severity;
  audience_spec: Json<AudienceSpec>;
  media: string[] | null;
  content: Json<NoticeContent>;
  state: NoticeState;
  audience_total: number | null;
  planned_count: Generated<number>;
  /** Last customer id planned: a re-run planner resumes after it. */
  plan_cursor: string | null;
  /** Batch numbers are allocated from this counter, so every enqueued batch has its own job id. */
  batch_seq: Generated<number>;
  created_at: GeneratedTimestamp;
  planned_at: Timestamp | null;
  finished_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  /** Whether the senders may have its batches: within APPROVAL_THRESHOLD, or approved. */
  released: Generated<boolean>;
  /** Audit actor of whoever sent the event; they may not approve it. */
  submitted_by: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  rejection: Rejection | null;
}

export interface DeliveriesTable {
  notice_id: string;
  customer_id: string;
  batch: number;
  medium: Medium;
  state: DeliveryState;
  reason: string | null;
  provider_code: string | null;
  provider_message_id: string | null;
  segments: number | null;
  attempts: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  sent_at: Timestamp | null;
  /** Held by the customer's quiet hours until then; null: may go at once. */
  send_after: Timestamp | null;
}

/** A carrier's final report that arrived before its send was recorded; applied when it is. */
export interface CarrierReportsTable {
  message_id: string;
  state: 'delivered' | 'failed';
  code: string | null;
  received_at: GeneratedTimestamp;
}

export type Role = 'author' | 'approver' | 'viewer';

export interface UsersTable {
  id: string;
  email: string;
  role: Role;
  /** scrypt, with its parameters and salt: see people/password-hashing.ts. */
  password_hash: string;
  /** Set for a one-time password: the person chooses their own before doing anything else. */
  must_change_password: Generated<boolean>;
  created_at: GeneratedTimestamp;
  disabled_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
}

export interface Database {
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  customers: CustomersTable;
  devices: DevicesTable;
  incidents: IncidentsTable;
  events: EventsTable;
  notices: NoticesTable;
  deliveries: DeliveriesTable;
  carrier_reports: CarrierReportsTable;
  users: UsersTable;
  sessions: SessionsTable;
}

export type UserRow = Selectable<UsersTable>;

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type NoticeRow = Selectable<NoticesTable>;
