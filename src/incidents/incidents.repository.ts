import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { DB, Db } from '../database/database.module';
import { Database, EventType, IncidentRow, IncidentStatus } from '../database/schema';
import { IncidentState } from './incident-state';

interface IncidentPageQuery {
  limit: number;
  status?: IncidentStatus;
  /** Keyset position: incidents strictly after this one in newest-first order. */
  after?: { openedAt: Date; id: string };
}

export interface TimelineRow {
  id: string;
  type: EventType;
  body: Record<string, unknown>;
  occurred_at: Date;
  received_at: Date;
  stale: boolean;
  notice_id: string | null;
}

function columnsOf(state: IncidentState) {
  return {
    status: state.status,
    severity: state.severity,
    channels: JSON.stringify(state.channels),
    regions: state.regions,
    opened_at: state.openedAt,
    last_event_at: state.lastEventAt,
  };
}

@Injectable()
export class IncidentsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The INSERT of a new incident, unexecuted, for a caller that sends it within one of its own statements. */
  insertion(trx: Kysely<Database>, id: string, ref: string, state: IncidentState) {
    return trx.insertInto('incidents').values({ id, ref, ...columnsOf(state) });
  }

  /** Creates the incident unless its ref exists; a concurrent creator makes this wait for its commit. */
  async insertIfAbsent(
    trx: Kysely<Database>,
    id: string,
    ref: string,
    state: IncidentState,
  ): Promise<boolean> {
    const row = await this.insertion(trx, id, ref, state)
      .onConflict((oc) => oc.column('ref').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Row lock: events of one incident apply one at a time. Undefined when no incident has this ref. */
  lockByRef(trx: Kysely<Database>, ref: string): Promise<IncidentRow | undefined> {
    return trx.selectFrom('incidents').selectAll().where('ref', '=', ref).forUpdate().executeTakeFirst();
  }

  /** The UPDATE to a new state, unexecuted, like insertion(). */
  stateUpdate(trx: Kysely<Database>, id: string, state: IncidentState) {
    return trx
      .updateTable('incidents')
      .set({ ...columnsOf(state), updated_at: new Date() })
      .where('id', '=', id);
  }

  findByRef(ref: string): Promise<IncidentRow | undefined> {
    return this.db.selectFrom('incidents').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  find(id: string): Promise<IncidentRow | undefined> {
    return this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first by opening time, the id breaking ties, so a cursor is a stable position. */
  page({ limit, status, after }: IncidentPageQuery): Promise<IncidentRow[]> {
    let query = this.db
      .selectFrom('incidents')
      .selectAll()
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (status) query = query.where('status', '=', status);
    if (after) {
      query = query.where((eb) =>
        eb(eb.refTuple('opened_at', 'id'), '<', eb.tuple(after.openedAt, after.id)),
      );
    }
    return query.execute();
  }

  timeline(incidentId: string): Promise<TimelineRow[]> {
    return this.db
      .selectFrom('events')
      .select(['id', 'type', 'body', 'occurred_at', 'received_at', 'stale', 'notice_id'])
      .where('incident_id', '=', incidentId)
      .orderBy('occurred_at')
      .orderBy('received_at')
      .execute();
  }
}
