import { Inject, Injectable } from '@nestjs/common';
import { RawBuilder, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import { AudienceSpec, ChannelActivity } from '../database/schema';

/** One customer a notice is for, with what the dispatcher needs to choose a medium and a time, and to word it. */
export interface AudienceMember {
  customerId: string;
  locale: string;
  timeZone: string;
  channels: ChannelActivity;
  phone: string | null;
  consentPush: boolean;
  consentSms: boolean;
  hasDevice: boolean;
}

interface AudienceCounts {
  /** Affected and reachable: the audience. */
  total: number;
  push: number;
  smsOnly: number;
  /** Affected but with no consented, reachable medium; not part of total. */
  unreachable: number;
  /** Audience members who used each channel within its window, in spec order. */
  channels: { id: string; total: number }[];
}

interface MemberRow {
  id: string;
  locale: string;
  time_zone: string;
  channels: ChannelActivity;
  phone: string | null;
  consent_push: boolean;
  consent_sms: boolean;
  has_device: boolean;
}

interface CountsRow {
  total: number;
  push: number;
  sms_only: number;
  unreachable: number;
  /** Per spec channel, in spec order. */
  channels: number[];
}

/** Audience members of one locale and time zone, by how they can be reached. */
export interface AudienceGroup {
  locale: string;
  timeZone: string;
  /** Reachable by push and by SMS, by push only, by SMS only. */
  both: number;
  pushOnly: number;
  smsOnly: number;
}

/**
 * Who a notice is for. Both the streaming pages and the preview counts read the same `affected` relation, so
 * what an operator previews is what the dispatcher sends.
 */
@Injectable()
export class AudienceQuery {
  constructor(@Inject(DB) private readonly db: Db) {}

  /**
   * Keyset pages ordered by customer id: memory stays at one page, whatever the audience size. `resumeAfter` is
   * the last customer id a previous run handled, so an interrupted planner continues where it stopped.
   */
  async *pages(
    spec: AudienceSpec,
    incidentId: string,
    pageSize = 1000,
    resumeAfter: string | null = null,
  ): AsyncGenerator<AudienceMember[]> {
    let after = resumeAfter ?? undefined;
    for (;;) {
      const { rows } = await sql<MemberRow>`
        SELECT a.id, a.locale, a.time_zone, a.channels, a.phone, a.consent_push, a.consent_sms, a.has_device
        FROM (${affected(spec, incidentId, after)}) a
        WHERE ${reachable}
        ORDER BY a.id
        LIMIT ${pageSize}`.execute(this.db);
      if (rows.length) yield rows.map(memberOf);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].id;
    }
  }

  /** The audience's size, counted no further than `limit`: enough to compare it with a threshold. */
  async countUpTo(spec: AudienceSpec, incidentId: string, limit: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM (${affected(spec, incidentId)}) a WHERE ${reachable} LIMIT ${limit}) counted`.execute(
      this.db,
    );
    return rows[0].n;
  }

  /** The audience's size and make-up in one pass over the affected customers. */
  async counts(spec: AudienceSpec, incidentId: string | null): Promise<AudienceCounts> {
    const reached = sql`(by_push OR by_sms)`;
    const perChannel = spec.channels.length
      ? sql`ARRAY[${sql.join(
          spec.channels.map(
            (c) => sql`count(*) FILTER (WHERE ${reached} AND ${usedSince(sql`a.channels`, c)})`,
          ),
        )}]::int[]`
      : sql`ARRAY[]::int[]`;
    const { rows } = await sql<CountsRow>`
      SELECT
        count(*) FILTER (WHERE ${reached})::int AS total,
        count(*) FILTER (WHERE by_push)::int AS push,
        count(*) FILTER (WHERE by_sms AND NOT by_push)::int AS sms_only,
        count(*) FILTER (WHERE NOT ${reached})::int AS unreachable,
        ${perChannel} AS channels
      FROM (
        SELECT a.channels, (a.consent_push AND a.has_device) AS by_push, (a.consent_sms AND a.phone IS NOT NULL) AS by_sms
        FROM (${affected(spec, incidentId)}) a
      ) a`.execute(this.db);
    const row = rows[0];
    return {
      total: row.total,
      push: row.push,
      smsOnly: row.sms_only,
      unreachable: row.unreachable,
      channels: spec.channels.map((c, i) => ({ id: c.id, total: row.channels[i] })),
    };
  }

  /** The audience by locale and time zone, for what the preview renders and holds; a handful of groups. */
  async groups(spec: AudienceSpec, incidentId: string | null): Promise<AudienceGroup[]> {
    const { rows } = await sql<{
      locale: string;
      time_zone: string;
      both: number;
      push_only: number;
      sms_only: number;
    }>`
      SELECT locale, time_zone,
        count(*) FILTER (WHERE by_push AND by_sms)::int AS both,
        count(*) FILTER (WHERE by_push AND NOT by_sms)::int AS push_only,
        count(*) FILTER (WHERE by_sms AND NOT by_push)::int AS sms_only
      FROM (
        SELECT a.locale, a.time_zone, (a.consent_push AND a.has_device) AS by_push,
               (a.consent_sms AND a.phone IS NOT NULL) AS by_sms
        FROM (${affected(spec, incidentId)}) a
      ) a
      WHERE by_push OR by_sms
      GROUP BY locale, time_zone
      ORDER BY locale, time_zone`.execute(this.db);
    return rows.map((r) => ({
      locale: r.locale,
      timeZone: r.time_zone,
      both: r.both,
      pushOnly: r.push_only,
      smsOnly: r.sms_only,
    }));
  }

  /**
   * The first reachable member of each locale: whose texts the preview shows. The first ids are found by a hashed
   * `min` in one pass, then read by primary key: `DISTINCT ON … ORDER BY locale, id` sorted the whole audience on
   * disk, over a second at a million.
   */
  async samples(spec: AudienceSpec, incidentId: string | null): Promise<AudienceMember[]> {
    const { rows } = await sql<MemberRow>`
      SELECT c.id, c.locale, c.time_zone, c.channels, c.phone, c.consent_push, c.consent_sms, c.has_device
      FROM customers c
      WHERE c.id IN (
        SELECT min(a.id) FROM (${affected(spec, incidentId)}) a WHERE ${reachable} GROUP BY a.locale)
      ORDER BY c.locale`.execute(this.db);
    return rows.map(memberOf);
  }
}

const reachable = sql`((a.consent_push AND a.has_device) OR (a.consent_sms AND a.phone IS NOT NULL))`;

/**
 * Customers the spec concerns, reachable or not, with what decides how they can be reached. `after` is a keyset
 * position; the previous-recipients probe repeats it because the planner does not carry `c.id > x` across
 * `= c.id`, and without it every page would rescan the ledger from the start.
 */
function affected(spec: AudienceSpec, incidentId: string | null, after?: string): RawBuilder<unknown> {
  return sql`
    SELECT c.id, c.locale, c.time_zone, c.phone, c.consent_push, c.consent_sms, c.has_device, c.channels
    FROM customers c
    WHERE ${concerns(spec, incidentId, after)}${after === undefined ? sql`` : sql` AND c.id > ${after}`}`;
}

function concerns(spec: AudienceSpec, incidentId: string | null, after?: string): RawBuilder<unknown> {
  if (spec.kind === 'previous-recipients' || spec.kind === 'restored') {
    if (incidentId === null) return sql`false`;
    const toldBack = sql`(${toldBefore(incidentId, after)} AND ${lastWordNotRestored(incidentId)})`;
    if (spec.kind === 'previous-recipients' || !spec.channels.length) return toldBack;
    return sql`${toldBack} AND NOT coalesce(${usesAny(spec.channels)}, false)`;
  }
  if (!spec.channels.length) return sql`false`;
  const inRegion = spec.regions ? sql` AND c.region IN (${sql.join(spec.regions)})` : sql``;
  return sql`${usesAny(spec.channels)}${inRegion}`;
}

/** The customer was told about the incident by some notice (sent or delivered on any medium). */
function toldBefore(incidentId: string, after?: string): RawBuilder<unknown> {
  return sql`EXISTS (
      SELECT 1 FROM notices n JOIN deliveries dl ON dl.notice_id = n.id
      WHERE n.incident_id = ${incidentId} AND dl.customer_id = c.id AND dl.state IN ('sent', 'delivered')
        ${after === undefined ? sql`` : sql`AND dl.customer_id > ${after}`})`;
}

/**
 * The last thing the customer was told about the incident was not that their channels are back: who heard "it is
 * back" hears it once, and hears the incident again only if a channel of theirs fails anew. Read through the
 * customer's sent deliveries (deliveries_customer_sent), a handful per customer.
 */
function lastWordNotRestored(incidentId: string): RawBuilder<unknown> {
  return sql`(SELECT n.type FROM deliveries dl JOIN notices n ON n.id = dl.notice_id
      WHERE dl.customer_id = c.id AND dl.sent_at IS NOT NULL AND dl.state IN ('sent', 'delivered')
        AND n.incident_id = ${incidentId}
      ORDER BY dl.sent_at DESC LIMIT 1) IS DISTINCT FROM 'restored'`;
}

function usesAny(channels: AudienceSpec['channels']): RawBuilder<unknown> {
  return sql`(${sql.join(
    channels.map((c) => usedSince(sql`c.channels`, c)),
    sql` OR `,
  )})`;
}

/**
 * The customer whose `channels` these are used the channel at or after its `since`. Activity is stored in epoch
 * milliseconds, so this is a number comparison, exact to the millisecond.
 */
function usedSince(
  channels: RawBuilder<unknown>,
  channel: AudienceSpec['channels'][number],
): RawBuilder<unknown> {
  return sql`(${channels}->>${channel.id}::text)::bigint >= ${Date.parse(channel.since)}`;
}

function memberOf(row: MemberRow): AudienceMember {
  return {
    customerId: row.id,
    locale: row.locale,
    timeZone: row.time_zone,
    channels: row.channels,
    phone: row.phone,
    consentPush: row.consent_push,
    consentSms: row.consent_sms,
    hasDevice: row.has_device,
  };
}
