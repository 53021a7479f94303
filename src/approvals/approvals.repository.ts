import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import type { Database, NoticeRow, Rejection } from '../database/schema';

/** The SQL of the approval step: releasing, holding, deciding on and expiring notices. */
@Injectable()
export class ApprovalsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async release(noticeId: string): Promise<void> {
    await this.db.updateTable('notices').set({ released: true }).where('id', '=', noticeId).execute();
  }

  /** The notice locked for a decision, so two approvers cannot both decide. */
  lockForDecision(trx: Kysely<Database>, noticeId: string): Promise<NoticeRow | undefined> {
    return trx.selectFrom('notices').selectAll().where('id', '=', noticeId).forUpdate().executeTakeFirst();
  }

  async approve(trx: Kysely<Database>, noticeId: string, actor: string): Promise<void> {
    await trx
      .updateTable('notices')
      .set({ state: 'sending', released: true, decided_by: actor, decided_at: new Date() })
      .where('id', '=', noticeId)
      .execute();
  }

  /**
   * Rejects the given notices that are still held (waiting, or being counted for a wait) and skips their pending
   * rows with the rejection as reason; returns the ids it rejected.
   */
  async reject(
    trx: Kysely<Database>,
    noticeIds: string[],
    rejection: Rejection,
    actor: string | null,
  ): Promise<string[]> {
    if (!noticeIds.length) return [];
    const rejected = await trx
      .updateTable('notices')
      .set({
        state: 'rejected',
        rejection,
        decided_by: actor,
        decided_at: new Date(),
        finished_at: new Date(),
      })
      .where('id', 'in', noticeIds)
      .where((eb) =>
        eb.or([
          eb('state', '=', 'awaiting-approval'),
          eb.and([eb('state', '=', 'planning'), eb('released', '=', false)]),
        ]),
      )
      .returning('id')
      .execute();
    const ids = rejected.map((r) => r.id);
    if (ids.length) {
      await trx
        .updateTable('deliveries')
        .set({ state: 'skipped', reason: rejection, updated_at: new Date() })
        .where('notice_id', 'in', ids)
        .where('state', '=', 'pending')
        .execute();
    }
    return ids;
  }

  /** Held notices of the incident older than this one: a newer notice says what they would have said. */
  async olderHeld(trx: Kysely<Database>, notice: NoticeRow): Promise<string[]> {
    const rows = await trx
      .selectFrom('notices')
      .select('id')
      .where('incident_id', '=', notice.incident_id)
      .where('created_at', '<', notice.created_at)
      .where('id', '<>', notice.id)
      .where('released', '=', false)
      .where('state', 'in', ['planning', 'awaiting-approval'])
      .execute();
    return rows.map((r) => r.id);
  }

  /** Notices that have waited longer than `ttlSeconds` since they were counted. */
  async overdue(trx: Kysely<Database>, ttlSeconds: number): Promise<string[]> {
    const rows = await trx
      .selectFrom('notices')
      .select('id')
      .where('state', '=', 'awaiting-approval')
      .where(sql<boolean>`planned_at < now() - make_interval(secs => ${ttlSeconds})`)
      .forUpdate()
      .skipLocked()
      .execute();
    return rows.map((r) => r.id);
  }
}
