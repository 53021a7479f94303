import { Injectable } from '@nestjs/common';
import { Kysely, OperationNodeSource, sql } from 'kysely';
import { Database, EventType } from '../database/schema';

export interface NewEvent {
  id: string;
  incidentId: string;
  type: EventType;
  body: Record<string, unknown>;
  bodyHash: string;
  occurredAt: Date;
  receivedAt: Date;
  receivedBy: string;
}

export interface RecordedEvent {
  id: string;
  incident_id: string;
  notice_id: string | null;
  stale: boolean;
  body_hash: string;
}

/** Writes run inside the intake transaction they are given. */
@Injectable()
export class EventsRepository {
  /**
   * The idempotency gate: false when the id exists. A concurrent insert of the same id waits for the first
   * transaction and then sees its row, so two copies can never both pass.
   */
  async insertIfNew(trx: Kysely<Database>, event: NewEvent): Promise<boolean> {
    const row = await trx
      .insertInto('events')
      .values({
        id: event.id,
        incident_id: event.incidentId,
        type: event.type,
        body: JSON.stringify(event.body),
        body_hash: event.bodyHash,
        occurred_at: event.occurredAt,
        received_at: event.receivedAt,
        stale: false,
        received_by: event.receivedBy,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  find(db: Kysely<Database>, id: string): Promise<RecordedEvent | undefined> {
    return db
      .selectFrom('events')
      .select(['id', 'incident_id', 'notice_id', 'stale', 'body_hash'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Records the event's outcome. `alongside` are INSERTs that must commit with it (its notice, its audit entry):
   * they travel in the same statement as data-modifying CTEs, one round trip instead of three.
   */
  async settle(
    trx: Kysely<Database>,
    id: string,
    outcome: { stale: boolean; noticeId: string | null },
    alongside: OperationNodeSource[],
  ): Promise<void> {
    const ctes = alongside.map((query, i) => sql`${sql.id(`w${i}`)} AS (${query})`);
    await sql`
      WITH ${sql.join(ctes)}
      UPDATE events SET stale = ${outcome.stale}, notice_id = ${outcome.noticeId} WHERE id = ${id}`.execute(
      trx,
    );
  }
}
