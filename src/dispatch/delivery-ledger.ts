import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import type { Database } from '../database/schema';
import type { DeliveryState, Medium, NoticeRow } from '../database/schema';

export interface PlannedDelivery {
  customerId: string;
  medium: Medium;
  state: 'pending' | 'skipped';
  reason: string | null;
}

export interface DeliveryOutcome {
  customerId: string;
  state: Extract<DeliveryState, 'sent' | 'failed' | 'pending'>;
  reason?: string | null;
  providerCode?: string | null;
  messageId?: string | null;
  segments?: number | null;
}

/** A provider's final report on one message. */
export interface CarrierStatus {
  messageId: string;
  state: 'delivered' | 'failed';
  errorCode: string | null;
}

/** One batch of a notice: what a batch job is about. */
export interface BatchKey {
  noticeId: string;
  medium: Medium;
  batch: number;
}

export interface PushRecipient {
  customerId: string;
  locale: string | null;
  devices: { token: string; platform: string }[];
}

export interface SmsRecipient {
  customerId: string;
  locale: string | null;
  phone: string | null;
  consentSms: boolean;
}

/** What an attempt's outcome sets on a delivery row, from the `u` rows of outcomeRows(). */
const OUTCOME_COLUMNS = sql`
  state = u.state,
  reason = u.reason,
  provider_code = u.code,
  provider_message_id = coalesce(u.message_id, d.provider_message_id),
  segments = coalesce(u.segments, d.segments),
  attempts = d.attempts + 1,
  updated_at = now(),
  sent_at = CASE WHEN u.state = 'sent' THEN now() ELSE d.sent_at END`;

function outcomeRows(outcomes: DeliveryOutcome[]) {
  return sql`unnest(${outcomes.map((o) => o.customerId)}::text[], ${outcomes.map((o) => o.state)}::text[],
      ${outcomes.map((o) => o.reason ?? null)}::text[], ${outcomes.map((o) => o.providerCode ?? null)}::text[],
      ${outcomes.map((o) => o.messageId ?? null)}::text[], ${outcomes.map((o) => o.segments ?? null)}::int[])
    AS u(customer_id, state, reason, code, message_id, segments)`;
}

/** All SQL of the delivery ledger: one row per customer per notice, the source of truth for who was told. */
@Injectable()
export class DeliveryLedger {
  constructor(@Inject(DB) private readonly db: Db) {}

  notice(id: string): Promise<NoticeRow | undefined> {
    return this.db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Recipients of older notices of the incident who were not sent yet will hear the newer notice instead. */
  async supersedeOlder(notice: NoticeRow): Promise<number> {
    const result = await this.db
      .updateTable('deliveries')
      .set({ state: 'skipped', reason: 'superseded', updated_at: new Date() })
      .where('state', '=', 'pending')
      .where('notice_id', 'in', (eb) =>
        eb
          .selectFrom('notices')
          .select('id')
          .where('incident_id', '=', notice.incident_id)
          .where('created_at', '<', notice.created_at)
          .where('id', '<>', notice.id),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Whether any other notice of the incident has reached someone: if none has, no one can be in cooldown. */
  async incidentToldBefore(notice: NoticeRow): Promise<boolean> {
    const row = await this.db
      .selectFrom('deliveries as d')
      .innerJoin('notices as n', 'n.id', 'd.notice_id')
      .select('d.notice_id')
      .where('n.incident_id', '=', notice.incident_id)
      .where('n.id', '<>', notice.id)
      .where('d.sent_at', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Customers among `customerIds` told about this incident by another notice since `since`. */
  async recentlyTold(notice: NoticeRow, customerIds: string[], since: Date): Promise<Set<string>> {
    if (!customerIds.length) return new Set();
    // One bounded lookup per customer of the page (LATERAL … LIMIT 1 cannot be flattened into a join): left to
    // itself, the planner read every delivery of the incident's earlier notices for each page, 0.8 s at 1M.
    const { rows } = await sql<{ id: string }>`
      SELECT u.id FROM unnest(${customerIds}::text[]) AS u(id)
      CROSS JOIN LATERAL (
        SELECT 1 FROM deliveries d JOIN notices n ON n.id = d.notice_id
        WHERE d.customer_id = u.id AND d.sent_at >= ${since}
          AND n.incident_id = ${notice.incident_id} AND d.notice_id <> ${notice.id}
        LIMIT 1) AS told`.execute(this.db);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Stores one planned page and moves the notice's cursor past it, atomically: a planner that dies before this
   * commits re-plans the page; one that dies after resumes behind it. Returns the page's batch number and the media
   * of the rows it really added as pending, or null when the notice is no longer being planned (cancelled).
   */
  async recordPlannedPage(
    noticeId: string,
    rows: PlannedDelivery[],
    cursor: string,
  ): Promise<{ batch: number; pendingMedia: Medium[] } | null> {
    return this.db.transaction().execute(async (trx) => {
      const notice = await trx
        .updateTable('notices')
        .set((eb) => ({
          batch_seq: eb('batch_seq', '+', 1),
          planned_count: eb('planned_count', '+', rows.length),
          plan_cursor: cursor,
        }))
        .where('id', '=', noticeId)
        .where('state', '=', 'planning')
        .returning('batch_seq')
        .executeTakeFirst();
      if (!notice) return null;
      const { rows: added } = await sql<{ medium: Medium }>`
        INSERT INTO deliveries (notice_id, customer_id, batch, medium, state, reason)
        SELECT ${noticeId}, u.customer_id, ${notice.batch_seq}, u.medium, u.state, u.reason
        FROM unnest(${rows.map((r) => r.customerId)}::text[], ${rows.map((r) => r.medium)}::text[],
                    ${rows.map((r) => r.state)}::text[], ${rows.map((r) => r.reason)}::text[])
             AS u(customer_id, medium, state, reason)
        ON CONFLICT (notice_id, customer_id) DO NOTHING
        RETURNING CASE WHEN state = 'pending' THEN medium END AS medium`.execute(trx);
      const pendingMedia = [...new Set(added.flatMap((r) => (r.medium ? [r.medium] : [])))];
      return { batch: notice.batch_seq, pendingMedia };
    });
  }

  async finishPlanning(noticeId: string): Promise<void> {
    await this.db
      .updateTable('notices')
      .set((eb) => ({ state: 'sending', audience_total: eb.ref('planned_count'), planned_at: new Date() }))
      .where('id', '=', noticeId)
      .where('state', '=', 'planning')
      .execute();
  }

  /** Completes the notice (or, without an id, every notice) that is planned and has nobody left pending. */
  async completeDrained(noticeId?: string): Promise<string[]> {
    return this.withIndexScans(async (trx) => {
      const { rows } = await sql<{ id: string }>`
        UPDATE notices AS n SET state = 'done', finished_at = now()
        WHERE n.state = 'sending' AND ${noticeId === undefined ? sql`true` : sql`n.id = ${noticeId}`}
          AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notice_id = n.id AND d.state = 'pending')
        RETURNING n.id`.execute(trx);
      return rows.map((r) => r.id);
    });
  }

  async pendingPush(noticeId: string, batch: number): Promise<PushRecipient[]> {
    const { rows } = await sql<{
      customer_id: string;
      locale: string | null;
      devices: PushRecipient['devices'];
    }>`
      SELECT d.customer_id, c.locale,
             coalesce(json_agg(json_build_object('token', v.token, 'platform', v.platform))
                      FILTER (WHERE v.token IS NOT NULL), '[]') AS devices
      FROM deliveries d
      LEFT JOIN customers c ON c.id = d.customer_id
      LEFT JOIN devices v ON v.customer_id = d.customer_id
      WHERE d.notice_id = ${noticeId} AND d.batch = ${batch} AND d.medium = 'push' AND d.state = 'pending'
      GROUP BY d.customer_id, c.locale`.execute(this.db);
    return rows.map((r) => ({ customerId: r.customer_id, locale: r.locale, devices: r.devices }));
  }

  async pendingSms(noticeId: string, batch: number): Promise<SmsRecipient[]> {
    const rows = await this.db
      .selectFrom('deliveries as d')
      .leftJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['d.customer_id', 'c.locale', 'c.phone', 'c.consent_sms'])
      .where('d.notice_id', '=', noticeId)
      .where('d.batch', '=', batch)
      .where('d.medium', '=', 'sms')
      .where('d.state', '=', 'pending')
      .execute();
    return rows.map((r) => ({
      customerId: r.customer_id,
      locale: r.locale,
      phone: r.phone,
      consentSms: r.consent_sms ?? false,
    }));
  }

  /**
   * Applies per-recipient results of one attempt. A row already settled stays settled, except that a real send
   * replaces a skip (a cancel or supersede raced the provider call); a carrier's later report is never undone.
   */
  async recordOutcomes(batch: BatchKey, outcomes: DeliveryOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    const { noticeId } = batch;
    // The usual case, every row still pending: found through the pending index by (notice, medium, batch).
    const updated = await sql`
      UPDATE deliveries AS d SET ${OUTCOME_COLUMNS} FROM ${outcomeRows(outcomes)}
      WHERE d.notice_id = ${noticeId} AND d.medium = ${batch.medium} AND d.batch = ${batch.batch}
        AND d.customer_id = u.customer_id AND d.state = 'pending'`.execute(this.db);
    const sent = outcomes.filter((o) => o.state === 'sent');
    if (Number(updated.numAffectedRows ?? 0) < outcomes.length && sent.length) {
      // Skipped rows are outside the pending index. Each is looked up by primary key and updated by its row
      // address, a plan that lagging statistics cannot turn into a scan of the notice's million rows.
      await sql`
        UPDATE deliveries AS d SET ${OUTCOME_COLUMNS}
        FROM (SELECT u.*, (SELECT x.ctid FROM deliveries x
                           WHERE x.notice_id = ${noticeId} AND x.customer_id = u.customer_id AND x.state = 'skipped') AS at
              FROM ${outcomeRows(sent)}) AS u
        WHERE d.ctid = u.at`.execute(this.db);
    }
    if (batch.medium === 'sms')
      await this.applyWaitingReports(sent.flatMap((o) => (o.messageId ? [o.messageId] : [])));
  }

  /**
   * Moves push recipients whose devices are all dead to SMS in a batch of their own; returns that batch number,
   * or null when none of them can take an SMS (those are failed with the reason).
   */
  async fallBackToSms(from: BatchKey, customerIds: string[]): Promise<number | null> {
    const { noticeId } = from;
    if (!customerIds.length) return null;
    return this.db.transaction().execute(async (trx) => {
      const { batch_seq: batch } = await trx
        .updateTable('notices')
        .set((eb) => ({ batch_seq: eb('batch_seq', '+', 1) }))
        .where('id', '=', noticeId)
        .returning('batch_seq')
        .executeTakeFirstOrThrow();
      const moved = await sql`
        UPDATE deliveries AS d SET medium = 'sms', batch = ${batch}, reason = 'push-fallback', updated_at = now()
        FROM customers c
        WHERE d.notice_id = ${noticeId} AND d.medium = ${from.medium} AND d.batch = ${from.batch}
          AND d.customer_id = ANY(${customerIds}::text[]) AND d.state = 'pending'
          AND c.id = d.customer_id AND c.consent_sms AND c.phone IS NOT NULL`.execute(trx);
      await trx
        .updateTable('deliveries')
        .set({ state: 'failed', reason: 'no-live-device-and-no-sms', updated_at: new Date() })
        .where('notice_id', '=', noticeId)
        .where('medium', '=', from.medium)
        .where('batch', '=', from.batch)
        .where('customer_id', 'in', customerIds)
        .where('state', '=', 'pending')
        .execute();
      return Number(moved.numAffectedRows ?? 0) > 0 ? batch : null;
    });
  }

  /** Batches with rows still pending; `idleSeconds` keeps only rows nobody has touched for that long. */
  async pendingBatches(filter: { noticeId: string } | { idleSeconds: number }): Promise<BatchKey[]> {
    const { rows } = await this.withIndexScans((trx) =>
      sql<{ notice_id: string; medium: Medium; batch: number }>`
      SELECT DISTINCT d.notice_id, d.medium, d.batch FROM deliveries d
      JOIN notices n ON n.id = d.notice_id AND n.state IN ('planning', 'sending')
      WHERE d.state = 'pending' AND ${
        'noticeId' in filter
          ? sql`d.notice_id = ${filter.noticeId}`
          : sql`d.updated_at < now() - make_interval(secs => ${filter.idleSeconds})`
      }`.execute(trx),
    );
    return rows.map((r) => ({ noticeId: r.notice_id, medium: r.medium, batch: r.batch }));
  }

  /**
   * Applies providers' later word on SMS (delivered, or undelivered with an error code) to rows still `sent`. A
   * report can beat the worker's record of the send (the batch records when all its messages are out): it waits
   * in carrier_reports, applied when the send is recorded or by the recovery sweep.
   */
  async recordCarrierStatuses(statuses: CarrierStatus[]): Promise<void> {
    if (!statuses.length) return;
    const early = await this.withIndexScans(async (trx) => {
      const applied = await this.applyCarrierStatuses(trx, statuses);
      // One row per message: the last report in the group wins, as it would have one statement later.
      const waiting = [...new Map(statuses.map((s) => [s.messageId, s])).values()].filter(
        (s) => !applied.has(s.messageId),
      );
      if (!waiting.length) return [];
      await sql`
        INSERT INTO carrier_reports (message_id, state, code)
        SELECT * FROM unnest(${waiting.map((s) => s.messageId)}::text[], ${waiting.map((s) => s.state)}::text[],
                             ${waiting.map((s) => s.errorCode)}::text[])
        ON CONFLICT (message_id) DO UPDATE SET state = excluded.state, code = excluded.code`.execute(trx);
      return waiting.map((s) => s.messageId);
    });
    // The worker may have recorded these sends after this transaction looked for them and looked for waiting
    // reports before it committed: then both missed. Looking once more after the commit closes that window.
    await this.applyWaitingReports(early);
  }

  /**
   * Applies waiting reports for these messages (just recorded as sent) or, without ids, the oldest waiting ones,
   * and forgets reports older than a day that never found their send. Returns how many were applied.
   */
  async applyWaitingReports(messageIds?: string[]): Promise<number> {
    if (messageIds && !messageIds.length) return 0;
    const waiting = await this.db
      .selectFrom('carrier_reports')
      .select(['message_id', 'state', 'code'])
      .$if(messageIds !== undefined, (q) => q.where('message_id', 'in', messageIds ?? []))
      .$if(messageIds === undefined, (q) => q.orderBy('received_at').limit(5_000))
      .execute();
    if (!waiting.length && messageIds) return 0;
    return this.withIndexScans(async (trx) => {
      const statuses = waiting.map((r) => ({ messageId: r.message_id, state: r.state, errorCode: r.code }));
      const applied = [...(await this.applyCarrierStatuses(trx, statuses))];
      // Reports looked for by id usually still wait for their send: then there is nothing to forget.
      if (!applied.length && messageIds) return 0;
      const stale = messageIds ? sql`false` : sql`received_at < now() - interval '1 day'`;
      await sql`DELETE FROM carrier_reports WHERE message_id = ANY(${applied}::text[]) OR ${stale}`.execute(
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

  /** Marks the notice cancelled and skips its pending rows; null when it was not planning or sending. */
  async cancel(trx: Kysely<Database>, noticeId: string): Promise<number | null> {
    const updated = await trx
      .updateTable('notices')
      .set({ state: 'cancelled', cancelled_at: new Date() })
      .where('id', '=', noticeId)
      .where('state', 'in', ['planning', 'sending'])
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
        SELECT customer_id, ${notice.batch_seq}::int + dense_rank() OVER (ORDER BY medium, chunk)::int AS batch
        FROM chosen
      ), moved AS (
        UPDATE deliveries d SET state = 'pending', reason = 'retry-requested', batch = numbered.batch, updated_at = now()
        FROM numbered WHERE d.notice_id = ${noticeId} AND d.customer_id = numbered.customer_id
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

  /** Forgets dead tokens; an owner left without devices loses `has_device`, so audiences stop counting on push. */
  async removeDevices(tokens: string[]): Promise<void> {
    if (!tokens.length) return;
    // The statement's snapshot still shows the deleted rows, so the remaining devices exclude them by token.
    await sql`
      WITH gone AS (DELETE FROM devices WHERE token = ANY(${tokens}::text[]) RETURNING customer_id)
      UPDATE customers c SET has_device = false
      WHERE c.id IN (SELECT customer_id FROM gone)
        AND NOT EXISTS (
          SELECT 1 FROM devices d WHERE d.customer_id = c.id AND d.token <> ALL(${tokens}::text[]))`.execute(
      this.db,
    );
  }

  /** The customer replied STOP: no more SMS to them until the bank's systems say otherwise. */
  async revokeSmsConsent(customerIds: string[]): Promise<void> {
    if (customerIds.length) {
      await this.db
        .updateTable('customers')
        .set({ consent_sms: false })
        .where('id', 'in', customerIds)
        .execute();
    }
  }

  /**
   * Runs `work` with only plain index scans allowed, for the statements that find rows across notices: pending rows
   * (completion, recovery) and rows by provider message id (carrier reports). Two reasons, both seen at a million
   * recipients. Statistics lag a table that grows by a million rows per notice, and the planner then chose a
   * sequential scan of the ledger for every group of carrier reports. And rows already sent leave dead entries in
   * the pending index until vacuum: a plain index scan marks them dead as it passes, so the next look skips them,
   * while a bitmap scan reads every one again (200 ms per completion check instead of under 1 ms).
   */
  private withIndexScans<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`.execute(
        trx,
      );
      return work(trx);
    });
  }
}
