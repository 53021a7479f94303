import { Kysely, sql } from 'kysely';
import type { Db } from '../database/database.module';
import type { Database } from '../database/schema';

/**
 * Runs `work` with only plain index scans allowed, for the statements that find rows across notices: pending rows
 * (completion, recovery) and rows by provider message id (carrier reports). Two reasons, both seen at a million
 * recipients. Statistics lag a table that grows by a million rows per notice, and the planner then chose a
 * sequential scan of the ledger for every group of carrier reports. And rows already sent leave dead entries in
 * the pending index until vacuum: a plain index scan marks them dead as it passes, so the next look skips them,
 * while a bitmap scan reads every one again (200 ms per completion check instead of under 1 ms).
 */
export function withIndexScans<T>(db: Db, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`.execute(
      trx,
    );
    return work(trx);
  });
}
