import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import type { ChannelActivity, DeliveryState, Medium } from '../database/schema';
import { CarrierReportLedger } from './carrier-reports.ledger';
import { withIndexScans } from './index-scans';

export interface DeliveryOutcome {
  customerId: string;
  state: Extract<DeliveryState, 'sent' | 'failed' | 'pending' | 'skipped'>;
  reason?: string | null;
  providerCode?: string | null;
  messageId?: string | null;
  segments?: number | null;
}

/** One batch of a notice: what a batch job is about. */
export interface BatchKey {
  noticeId: string;
  medium: Medium;
  batch: number;
}

/** What rendering needs of a recipient; null when the customer was deleted after planning. */
interface Reader {
  locale: string | null;
  timeZone: string | null;
  channels: ChannelActivity | null;
}

export interface PushRecipient extends Reader {
  customerId: string;
  devices: { token: string; platform: string }[];
}

export interface SmsRecipient extends Reader {
  customerId: string;
  phone: string | null;
  consentSms: boolean;
}

/** A row held by quiet hours is not read, sent or re-queued before its time: its delayed job brings it then. */
const due = sql<boolean>`(d.send_after IS NULL OR d.send_after <= now())`;

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

/** The ledger's batch side: what a batch job reads, how its outcomes are recorded, and which batches are open. */
@Injectable()
export class BatchLedger {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly reports: CarrierReportLedger,
  ) {}

  async pendingPush(noticeId: string, batch: number): Promise<PushRecipient[]> {
    const { rows } = await sql<{
      customer_id: string;
      locale: string | null;
      time_zone: string | null;
      channels: ChannelActivity | null;
      devices: PushRecipient['devices'];
    }>`
      SELECT d.customer_id, c.locale, c.time_zone, c.channels,
             coalesce(json_agg(json_build_object('token', v.token, 'platform', v.platform))
                      FILTER (WHERE v.token IS NOT NULL), '[]') AS devices
      FROM deliveries d
      LEFT JOIN customers c ON c.id = d.customer_id
      LEFT JOIN devices v ON v.customer_id = d.customer_id
      WHERE d.notice_id = ${noticeId} AND d.batch = ${batch} AND d.medium = 'push' AND d.state = 'pending'
        AND ${due}
      GROUP BY d.customer_id, c.id`.execute(this.db);
    return rows.map((r) => ({
      customerId: r.customer_id,
      locale: r.locale,
      timeZone: r.time_zone,
      channels: r.channels,
      devices: r.devices,
    }));
  }

  async pendingSms(noticeId: string, batch: number): Promise<SmsRecipient[]> {
    const rows = await this.db
      .selectFrom('deliveries as d')
      .leftJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['d.customer_id', 'c.locale', 'c.time_zone', 'c.channels', 'c.phone', 'c.consent_sms'])
      .where('d.notice_id', '=', noticeId)
      .where('d.batch', '=', batch)
      .where('d.medium', '=', 'sms')
      .where('d.state', '=', 'pending')
      .where(due)
      .execute();
    return rows.map((r) => ({
      customerId: r.customer_id,
      locale: r.locale,
      timeZone: r.time_zone,
      channels: r.channels,
      phone: r.phone,
      consentSms: r.consent_sms ?? false,
    }));
  }

  /**
   * Customers among `customerIds` sent `cap` SMS or more in the last 24 h by other notices: read through each one's
   * sent deliveries (deliveries_customer_sent), a handful per customer.
   */
  async smsCapReached(noticeId: string, customerIds: string[], cap: number): Promise<Set<string>> {
    if (!customerIds.length) return new Set();
    const { rows } = await sql<{ id: string }>`
      SELECT u.id FROM unnest(${customerIds}::text[]) AS u(id)
      WHERE (SELECT count(*) FROM deliveries d
             WHERE d.customer_id = u.id AND d.sent_at > now() - interval '24 hours' AND d.medium = 'sms'
               AND d.notice_id <> ${noticeId}) >= ${cap}`.execute(this.db);
    return new Set(rows.map((r) => r.id));
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
                           WHERE x.notice_id = ${noticeId} AND x.customer_id = u.customer_id
                             AND x.medium = ${batch.medium} AND x.state = 'skipped') AS at
              FROM ${outcomeRows(sent)}) AS u
        WHERE d.ctid = u.at`.execute(this.db);
    }
    if (batch.medium === 'sms')
      await this.reports.applyWaitingReports(sent.flatMap((o) => (o.messageId ? [o.messageId] : [])));
  }

  /**
   * Moves push recipients whose devices are all dead to SMS in a batch of their own; returns that batch number,
   * or null when none of them can take one. Those who cannot are failed with the reason: no SMS consent or phone,
   * or an SMS of this notice already planned for them (a critical notice), which the key would not let twice.
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
      const hasSms = sql`EXISTS (SELECT 1 FROM deliveries s
        WHERE s.notice_id = d.notice_id AND s.customer_id = d.customer_id AND s.medium = 'sms')`;
      const moved = await sql`
        UPDATE deliveries AS d SET medium = 'sms', batch = ${batch}, reason = 'push-fallback', updated_at = now()
        FROM customers c
        WHERE d.notice_id = ${noticeId} AND d.medium = ${from.medium} AND d.batch = ${from.batch}
          AND d.customer_id = ANY(${customerIds}::text[]) AND d.state = 'pending'
          AND c.id = d.customer_id AND c.consent_sms AND c.phone IS NOT NULL AND NOT ${hasSms}`.execute(trx);
      await sql`
        UPDATE deliveries AS d SET state = 'failed', updated_at = now(),
          reason = CASE WHEN ${hasSms} THEN 'no-live-device' ELSE 'no-live-device-and-no-sms' END
        WHERE d.notice_id = ${noticeId} AND d.medium = ${from.medium} AND d.batch = ${from.batch}
          AND d.customer_id = ANY(${customerIds}::text[]) AND d.state = 'pending'`.execute(trx);
      return Number(moved.numAffectedRows ?? 0) > 0 ? batch : null;
    });
  }

  /** Batches with rows still pending; `idleSeconds` keeps only rows nobody has touched for that long. */
  async pendingBatches(filter: { noticeId: string } | { idleSeconds: number }): Promise<BatchKey[]> {
    const { rows } = await withIndexScans(this.db, (trx) =>
      sql<{ notice_id: string; medium: Medium; batch: number }>`
      SELECT DISTINCT d.notice_id, d.medium, d.batch FROM deliveries d
      JOIN notices n ON n.id = d.notice_id AND n.state IN ('planning', 'sending') AND n.released
      WHERE d.state = 'pending' AND ${due} AND ${
        'noticeId' in filter
          ? sql`d.notice_id = ${filter.noticeId}`
          : sql`d.updated_at < now() - make_interval(secs => ${filter.idleSeconds})`
      }`.execute(trx),
    );
    return rows.map((r) => ({ noticeId: r.notice_id, medium: r.medium, batch: r.batch }));
  }

  /** Completes the notice (or, without an id, every notice) that is planned and has nobody left pending. */
  async completeDrained(noticeId?: string): Promise<string[]> {
    return withIndexScans(this.db, async (trx) => {
      const { rows } = await sql<{ id: string }>`
        UPDATE notices AS n SET state = 'done', finished_at = now()
        WHERE n.state = 'sending' AND ${noticeId === undefined ? sql`true` : sql`n.id = ${noticeId}`}
          AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notice_id = n.id AND d.state = 'pending')
        RETURNING n.id`.execute(trx);
      return rows.map((r) => r.id);
    });
  }
}
