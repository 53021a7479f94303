import { Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import type { Database, Medium } from '../database/schema';

/** Incident managers' controls on the ledger: both run in the caller's transaction, beside its audit record. */
@Injectable()
export class NoticeControlLedger {
  /** Marks the notice cancelled and skips its pending rows; null when it was not planning, waiting or sending. */
  async cancel(trx: Kysely<Database>, noticeId: string): Promise<number | null> {
    const updated = await trx
      .updateTable('notices')
      .set({ state: 'cancelled', cancelled_at: new Date() })
      .where('id', '=', noticeId)
      .where('state', 'in', ['planning', 'awaiting-approval', 'sending'])
      .returning('id')
      .executeTakeFirst();
    if (!updated) return null;
    const skipped = await trx
      .updateTable('deliveries')
      .set({ state: 'skipped', reason: 'cancelled', updated_at: new Date() })
      .where('notice_id', '=', noticeId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(skipped.numUpdatedRows);
  }

  /**
   * Puts failed rows with one of `reasons` back to pending in fresh batches of `batchSize`, one medium per batch,
   * numbered after the notice's last batch. Null when the notice is not sending or done.
   */
  async requeueFailed(
    trx: Kysely<Database>,
    noticeId: string,
    reasons: string[],
    batchSize: number,
  ): Promise<{ medium: Medium; batch: number; count: number }[] | null> {
    const notice = await trx
      .selectFrom('notices')
      .select(['state', 'batch_seq'])
      .where('id', '=', noticeId)
      .forUpdate()
      .executeTakeFirst();
    if (!notice || (notice.state !== 'sending' && notice.state !== 'done')) return null;
    const { rows } = await sql<{ medium: Medium; batch: number; count: string }>`
      WITH chosen AS (
        SELECT customer_id, medium,
               (row_number() OVER (PARTITION BY medium ORDER BY customer_id) - 1) / ${batchSize} AS chunk
        FROM deliveries
        WHERE notice_id = ${noticeId} AND state = 'failed' AND reason = ANY(${reasons}::text[])
      ), numbered AS (
        SELECT customer_id, medium, ${notice.batch_seq}::int + dense_rank() OVER (ORDER BY medium, chunk)::int AS batch
        FROM chosen
      ), moved AS (
        UPDATE deliveries d SET state = 'pending', reason = 'retry-requested', batch = numbered.batch, updated_at = now()
        FROM numbered WHERE d.notice_id = ${noticeId} AND d.customer_id = numbered.customer_id
          AND d.medium = numbered.medium
        RETURNING d.medium, d.batch
      )
      SELECT medium, batch, count(*) AS count FROM moved GROUP BY medium, batch ORDER BY batch`.execute(trx);
    if (rows.length) {
      await trx
        .updateTable('notices')
        .set({ batch_seq: rows[rows.length - 1].batch, state: 'sending', finished_at: null })
        .where('id', '=', noticeId)
        .execute();
    }
    return rows.map((r) => ({ medium: r.medium, batch: r.batch, count: Number(r.count) }));
  }
}
