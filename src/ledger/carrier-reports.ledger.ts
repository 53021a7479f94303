import { Inject, Injectable } from '@nestjs/common';
import { RawBuilder, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import { withIndexScans } from './index-scans';

/** A provider's final report on one message. */
export interface CarrierStatus {
  messageId: string;
  state: 'delivered' | 'failed';
  errorCode: string | null;
}

/** Carriers' later word on SMS, applied to the ledger's rows, or kept until the send it reports on is recorded. */
@Injectable()
export class CarrierReportLedger {
  constructor(@Inject(DB) private readonly db: Db) {}

  /**
   * Applies providers' later word on SMS (delivered, or undelivered with an error code) to rows still `sent`. A
   * report can beat the worker's record of the send (a chunk is recorded once all its messages are out): it waits
   * in carrier_reports, applied when the send is recorded or by the recovery sweep. One statement per group does
   * both: the rows it updates are left out of the waiting ones.
   */
  async recordCarrierStatuses(statuses: CarrierStatus[]): Promise<void> {
    if (!statuses.length) return;
    // One report per message: the last in the group wins, as it would have one statement later.
    const latest = [...new Map(statuses.map((s) => [s.messageId, s])).values()];
    const early = await withIndexScans(this.db, async (trx) => {
      // A report on a message whose row already has its final word (a replayed callback) is dropped, not kept:
      // only a message no row names yet may wait. The NOT EXISTS sees the rows as they were before `applied`.
      const { rows } = await sql<{ message_id: string }>`
        WITH applied AS (${applyStatement(latest)})
        INSERT INTO carrier_reports (message_id, state, code)
        SELECT r.* FROM unnest(${latest.map((s) => s.messageId)}::text[], ${latest.map((s) => s.state)}::text[],
                               ${latest.map((s) => s.errorCode)}::text[]) AS r(message_id, state, code)
        WHERE r.message_id NOT IN (SELECT message_id FROM applied)
          AND NOT EXISTS (
            SELECT 1 FROM deliveries d
            WHERE d.provider_message_id = r.message_id AND d.medium = 'sms' AND d.state <> 'sent')
        ON CONFLICT (message_id) DO UPDATE SET state = excluded.state, code = excluded.code
        RETURNING message_id`.execute(trx);
      return rows.map((r) => r.message_id);
    });
    // The worker may have recorded these sends after this transaction looked for them and looked for waiting
    // reports before it committed: then both missed. Looking once more after the commit closes that window.
    await this.applyWaitingReports(early);
  }

  /** Applies waiting reports for these messages, just recorded as sent. Returns how many were applied. */
  async applyWaitingReports(messageIds: string[]): Promise<number> {
    if (!messageIds.length) return 0;
    const waiting = await this.db
      .selectFrom('carrier_reports')
      .select(['message_id', 'state', 'code'])
      .where('message_id', 'in', messageIds)
      .execute();
    // Reports looked for by id usually still wait for their send: then there is nothing to apply or forget.
    if (!waiting.length) return 0;
    return this.applyAndForget(waiting, null);
  }

  /**
   * The recovery sweep's part: applies the oldest waiting reports whose send is recorded by now, and forgets those
   * that waited longer than `maxWaitSeconds` for a send no row names (a message id nobody sent, or whose send was
   * lost with a killed worker and sent again under another id). Returns how many were applied.
   */
  async sweepWaitingReports(maxWaitSeconds: number): Promise<number> {
    const waiting = await this.db
      .selectFrom('carrier_reports')
      .select(['message_id', 'state', 'code'])
      .orderBy('received_at')
      .limit(5_000)
      .execute();
    return this.applyAndForget(waiting, sql`received_at < now() - make_interval(secs => ${maxWaitSeconds})`);
  }

  /** Applies these waiting reports and forgets the applied ones (and the `expired`), in one statement. */
  private async applyAndForget(
    waiting: { message_id: string; state: CarrierStatus['state']; code: string | null }[],
    expired: RawBuilder<boolean> | null,
  ): Promise<number> {
    if (!waiting.length && !expired) return 0;
    const statuses = waiting.map((r) => ({ messageId: r.message_id, state: r.state, errorCode: r.code }));
    const { rows } = await withIndexScans(this.db, (trx) =>
      sql<{ applied: number }>`
        WITH applied AS (${applyStatement(statuses)}),
        forgotten AS (
          DELETE FROM carrier_reports
          WHERE message_id = ANY(ARRAY(SELECT message_id FROM applied)) OR ${expired ?? sql`false`})
        SELECT count(*)::int AS applied FROM applied`.execute(trx),
    );
    return rows[0].applied;
  }
}

/**
 * The UPDATE that gives rows still `sent` their carrier's word, returning their `message_id`. No join with the
 * reports: each row finds its report by position, so the plan can only be one index lookup per message id (a join
 * let lagging statistics pick a scan of every sent row, or n² index descents).
 */
function applyStatement(statuses: CarrierStatus[]): RawBuilder<unknown> {
  const ids = statuses.map((s) => s.messageId);
  const at = sql`array_position(${ids}::text[], d.provider_message_id)`;
  const states = statuses.map((s) => s.state);
  return sql`
    UPDATE deliveries AS d SET
      state = (${states}::text[])[${at}],
      reason = CASE WHEN (${states}::text[])[${at}] = 'failed' THEN 'undelivered' END,
      provider_code = (${statuses.map((s) => s.errorCode)}::text[])[${at}],
      updated_at = now()
    WHERE d.provider_message_id = ANY(${ids}::text[]) AND d.medium = 'sms' AND d.state = 'sent'
    RETURNING d.provider_message_id AS message_id`;
}
