import { Inject, Injectable } from '@nestjs/common';
import { Selectable } from 'kysely';
import { DB, Db } from '../database/database.module';
import { AuditLogTable } from '../database/schema';

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  action?: string;
}

/** Reads of the audit log; AuditLog in access/ writes it. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Newest first by (at, id), so a cursor is a stable position even when entries share a timestamp. */
  page(filter: AuditFilter, limit: number, after?: { at: Date; id: string }): Promise<AuditRow[]> {
    let query = this.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (after) query = query.where((eb) => eb(eb.refTuple('at', 'id'), '<', eb.tuple(after.at, after.id)));
    return query.execute();
  }
}
