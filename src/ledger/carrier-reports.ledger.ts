import { Inject, Injectable } from '@nestjs/common';
import { Kysely, RawBuilder, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import type { Database } from '../database/schema';
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
   * report can beat the worker's record of the send (the batch records when all its messages are out): it waits
   * in carrier_reports, applied when the send is recorded or by the recovery sweep.
   */
  async recordCarrierStatuses(statuses: CarrierStatus[]): Promise<void> {
    if (!statuses.length) return;
    const early = await withIndexScans(this.db, async (trx) => {
      const applied = await this.applyCarrierStatuses(trx, statuses);
      // One row per message: the last report in the group wins, as it would have one statement later.
      const waiting = [...new Map(statuses.map((s) => [s.messageId, s])).values()].filter(
        (s) => !applied.has(s.messageId),
      );
      if (!waiting.length) return [];
      // A report on a message whose row already has its final word (a replayed callback) is dropped, not kept:
      // only a message no row names yet, or one whose `sent` was committed after the UPDATE above, may wait.
      const { rows } = await sql<{ message_id: string }>`
        INSERT INTO carrier_reports (message_id, state, code)
        SELECT r.* FROM unnest(${waiting.map((s) => s.messageId)}::text[], ${waiting.map((s) => s.state)}::text[],
                               ${waiting.map((s) => s.errorCode)}::text[]) AS r(message_id, state, code)
        WHERE NOT EXISTS (
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

  private applyAndForget(
    waiting: { message_id: string; state: CarrierStatus['state']; code: string | null }[],
    expired: RawBuilder<boolean> | null,
  ): Promise<number> {
    return withIndexScans(this.db, async (trx) => {
      const statuses = waiting.map((r) => ({ messageId: r.message_id, state: r.state, errorCode: r.code }));
      const applied = [...(await this.applyCarrierStatuses(trx, statuses))];
      if (!applied.length && !expired) return 0;
      await sql`DELETE FROM carrier_reports WHERE message_id = ANY(${applied}::text[]) OR ${expired ?? sql`false`}`.execute(
        trx,
      );
      return applied.length;
    });
  }

  /** Returns the message ids whose row was `sent` and now carries the report. */
  private async applyCarrierStatuses(trx: Kysely<Database>, statuses: CarrierStatus[]): Promise<Set<string>> {
    if (!statuses.length) return new Set();
    const ids = statuses.map((s) => s.messageId);
    // No join with the reports: each row finds its report by position, so the plan can only be one index lookup
    // per message id (a join let lagging statistics pick a scan of every sent row, or n² index descents).
    const at = sql`array_position(${ids}::text[], d.provider_message_id)`;
    const states = statuses.map((s) => s.state);
    const { rows } = await sql<{ message_id: string }>`
      UPDATE deliveries AS d SET
        state = (${states}::text[])[${at}],
        reason = CASE WHEN (${states}::text[])[${at}] = 'failed' THEN 'undelivered' END,
        provider_code = (${statuses.map((s) => s.errorCode)}::text[])[${at}],
        updated_at = now()
      WHERE d.provider_message_id = ANY(${ids}::text[]) AND d.medium = 'sms' AND d.state = 'sent'
      RETURNING d.provider_message_id AS message_id`.execute(trx);
    return new Set(rows.map((r) => r.message_id));
  }
}
