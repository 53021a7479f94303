import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

const UP = [
  `CREATE TABLE api_keys (
     id text PRIMARY KEY,
     name text NOT NULL,
     secret_hash text NOT NULL,
     scopes text[] NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     revoked_at timestamptz
   )`,
  `CREATE TABLE audit_log (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     at timestamptz NOT NULL DEFAULT now(),
     actor text NOT NULL,
     action text NOT NULL,
     target text NOT NULL,
     detail jsonb
   )`,
  `CREATE INDEX audit_log_at ON audit_log (at)`,
  // `channels`: channel id → last use in epoch milliseconds, compared as numbers by the audience query.
  // `has_device`: whether the customer has a row in `devices`, kept by every write so audiences need no join.
  `CREATE TABLE customers (
     id text PRIMARY KEY,
     locale text NOT NULL,
     time_zone text NOT NULL,
     region text,
     phone text,
     consent_push boolean NOT NULL,
     consent_sms boolean NOT NULL,
     channels jsonb NOT NULL DEFAULT '{}',
     has_device boolean NOT NULL DEFAULT false,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  // Tokens are opaque: byte order ("C") compares them without locale rules. No foreign key to customers: its
  // check was 15% of an import's PostgreSQL time, and the directory deletes a customer's devices itself.
  `CREATE TABLE devices (
     token text COLLATE "C" PRIMARY KEY,
     customer_id text NOT NULL,
     platform text NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
     last_seen timestamptz
   )`,
  `CREATE INDEX devices_customer ON devices (customer_id)`,
  `CREATE TABLE incidents (
     id uuid PRIMARY KEY,
     ref text NOT NULL UNIQUE,
     status text NOT NULL CHECK (status IN ('open', 'resolved')),
     severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
     channels jsonb NOT NULL,
     regions text[],
     opened_at timestamptz NOT NULL,
     last_event_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE notices (
     id uuid PRIMARY KEY,
     incident_id uuid NOT NULL REFERENCES incidents (id),
     event_id text NOT NULL UNIQUE,
     type text NOT NULL,
     severity text NOT NULL,
     audience_spec jsonb NOT NULL,
     media text[],
     content jsonb NOT NULL,
     state text NOT NULL CHECK (state IN ('planning', 'sending', 'done', 'cancelled')),
     audience_total integer,
     planned_count integer NOT NULL DEFAULT 0,
     plan_cursor text,
     batch_seq integer NOT NULL DEFAULT 0,
     created_at timestamptz NOT NULL DEFAULT now(),
     planned_at timestamptz,
     finished_at timestamptz,
     cancelled_at timestamptz
   )`,
  `CREATE INDEX notices_incident ON notices (incident_id, created_at)`,
  `CREATE INDEX notices_unfinished ON notices (state) WHERE state IN ('planning', 'sending')`,
  `CREATE TABLE events (
     id text PRIMARY KEY,
     incident_id uuid NOT NULL REFERENCES incidents (id),
     type text NOT NULL,
     body jsonb NOT NULL,
     body_hash text NOT NULL,
     occurred_at timestamptz NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now(),
     stale boolean NOT NULL,
     notice_id uuid REFERENCES notices (id),
     received_by text NOT NULL
   )`,
  `CREATE INDEX events_incident ON events (incident_id, occurred_at)`,
  `CREATE TABLE deliveries (
     notice_id uuid NOT NULL REFERENCES notices (id),
     customer_id text NOT NULL,
     batch integer NOT NULL,
     medium text NOT NULL CHECK (medium IN ('push', 'sms')),
     state text NOT NULL CHECK (state IN ('pending', 'sent', 'delivered', 'failed', 'skipped')),
     reason text,
     provider_code text,
     provider_message_id text,
     segments integer,
     attempts integer NOT NULL DEFAULT 0,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     sent_at timestamptz,
     PRIMARY KEY (notice_id, customer_id)
   )`,
  // A batch's statements name (notice, medium, batch), so they read the batch's rows through these two whatever the
  // planner's statistics say; looked up by notice alone, a batch of 500 read all of a 1M-recipient notice's rows.
  `CREATE INDEX deliveries_batch ON deliveries (notice_id, medium, batch)`,
  `CREATE INDEX deliveries_pending ON deliveries (notice_id, medium, batch) WHERE state = 'pending'`,
  `CREATE INDEX deliveries_customer_sent ON deliveries (customer_id, sent_at) WHERE sent_at IS NOT NULL`,
  `CREATE INDEX deliveries_provider_message ON deliveries (provider_message_id) WHERE provider_message_id IS NOT NULL`,
  // Carriers' final reports that arrived before their send was recorded (Twilio does not send them again).
  `CREATE TABLE carrier_reports (
     message_id text PRIMARY KEY,
     state text NOT NULL CHECK (state IN ('delivered', 'failed')),
     code text,
     received_at timestamptz NOT NULL DEFAULT now()
   )`,
];

const DOWN = [
  'carrier_reports',
  'deliveries',
  'events',
  'notices',
  'incidents',
  'devices',
  'customers',
  'audit_log',
  'api_keys',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    DOWN.map((table) => `DROP TABLE ${table}`),
  );
}
