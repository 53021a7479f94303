import { Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { Database, EventType } from '../database/schema';

interface NewEvent {
  id: string;
  incidentId: string;
  type: EventType;
  body: Record<string, unknown>;
  bodyHash: string;
  occurredAt: Date;
  receivedAt: Date;
  receivedBy: string;
  /** Older than an event already applied: recorded, but it moves nothing and notifies nobody. */
  stale: boolean;
  noticeId: string | null;
}

export interface RecordedEvent {
  id: string;
  incident_id: string;
  notice_id: string | null;
  restoration_notice_id: string | null;
  stale: boolean;
  body_hash: string;
}

interface FirstLook {
  /** The stored event with this id, if any. */
  event: RecordedEvent | undefined;
  /** Whether an incident with the event's ref exists. */
  incidentKnown: boolean;
}

/** The event's `restored` notice, found by the notices' (event, type) key. */
const restorationNoticeId = sql`(SELECT n.id FROM notices n WHERE n.event_id = e.id AND n.type = 'restored') AS restoration_notice_id`;

@Injectable()
export class EventsRepository {
  /** What intake needs to know before it writes, in one round trip. */
  async lookup(db: Kysely<Database>, id: string, incidentRef: string): Promise<FirstLook> {
    const { rows } = await sql<Partial<RecordedEvent> & { incident_known: boolean }>`
      SELECT e.id, e.incident_id, e.notice_id, ${restorationNoticeId}, e.stale, e.body_hash,
             EXISTS (SELECT 1 FROM incidents WHERE ref = ${incidentRef}) AS incident_known
      FROM (VALUES (1)) AS one LEFT JOIN events e ON e.id = ${id}`.execute(db);
    const { incident_known, ...event } = rows[0];
    return { event: event.id ? (event as RecordedEvent) : undefined, incidentKnown: incident_known };
  }

  async find(db: Kysely<Database>, id: string): Promise<RecordedEvent | undefined> {
    const { rows } = await sql<RecordedEvent>`
      SELECT e.id, e.incident_id, e.notice_id, ${restorationNoticeId}, e.stale, e.body_hash
      FROM events e WHERE e.id = ${id}`.execute(db);
    return rows[0];
  }

  /**
   * The event's INSERT with its outcome, unexecuted. Its primary key is the idempotency gate: a copy racing the
   * first one fails on it (a concurrent insert of the same id waits for the first transaction, then fails).
   */
  insertion(trx: Kysely<Database>, event: NewEvent) {
    return trx.insertInto('events').values({
      id: event.id,
      incident_id: event.incidentId,
      type: event.type,
      body: JSON.stringify(event.body),
      body_hash: event.bodyHash,
      occurred_at: event.occurredAt,
      received_at: event.receivedAt,
      stale: event.stale,
      notice_id: event.noticeId,
      received_by: event.receivedBy,
    });
  }
}
