import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import {
  AudienceSpec,
  Database,
  DeliveryState,
  Medium,
  NoticeContent,
  NoticeKind,
  NoticeRow,
  NoticeState,
  Severity,
} from '../database/schema';

export interface NewNoticeInput {
  id: string;
  incidentId: string;
  eventId: string;
  type: NoticeKind;
  severity: Severity;
  spec: AudienceSpec;
  content: NoticeContent;
  media: Medium[] | null;
  submittedBy: string;
}

export interface DeliveryCount {
  medium: Medium;
  state: DeliveryState;
  /** Pending rows held by quiet hours, with when the first and last of them may go. */
  deferred: boolean;
  firstRelease: Date | null;
  lastRelease: Date | null;
  reason: string | null;
  count: number;
  firstSent: Date | null;
  lastSent: Date | null;
}

const deferred = sql`(state = 'pending' AND send_after IS NOT NULL AND send_after > now())`;

@Injectable()
export class NoticesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The notice's INSERT, unexecuted: the event intake sends it in one statement with the event's outcome. */
  insertion(trx: Kysely<Database>, notice: NewNoticeInput) {
    return trx.insertInto('notices').values({
      id: notice.id,
      incident_id: notice.incidentId,
      event_id: notice.eventId,
      type: notice.type,
      severity: notice.severity,
      audience_spec: JSON.stringify(notice.spec),
      content: JSON.stringify(notice.content),
      media: notice.media,
      state: 'planning',
      submitted_by: notice.submittedBy,
    });
  }

  find(id: string): Promise<NoticeRow | undefined> {
    return this.db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** One row per medium, state and reason, with when the first and last of them were sent. */
  async deliveryCounts(noticeId: string): Promise<DeliveryCount[]> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select((eb) => [
        'medium',
        'state',
        'reason',
        eb.fn.countAll<string | number>().as('count'),
        eb.fn.min('sent_at').as('first_sent'),
        eb.fn.max('sent_at').as('last_sent'),
        sql<boolean>`${deferred}`.as('deferred'),
        eb.fn.min('send_after').as('first_release'),
        eb.fn.max('send_after').as('last_release'),
      ])
      .where('notice_id', '=', noticeId)
      .groupBy(['medium', 'state', 'reason', sql`${deferred}`])
      .execute();
    return rows.map((r) => ({
      medium: r.medium,
      state: r.state,
      deferred: r.deferred,
      firstRelease: r.deferred && r.first_release ? new Date(r.first_release) : null,
      lastRelease: r.deferred && r.last_release ? new Date(r.last_release) : null,
      reason: r.reason,
      count: Number(r.count),
      firstSent: r.first_sent ? new Date(r.first_sent) : null,
      lastSent: r.last_sent ? new Date(r.last_sent) : null,
    }));
  }

  /** Newest first, with their incident's ref. */
  list(filter: {
    state?: NoticeState;
    incidentId?: string;
    limit: number;
  }): Promise<(NoticeRow & { incident_ref: string })[]> {
    let query = this.db
      .selectFrom('notices as n')
      .innerJoin('incidents as i', 'i.id', 'n.incident_id')
      .selectAll('n')
      .select('i.ref as incident_ref')
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(filter.limit);
    if (filter.state) query = query.where('n.state', '=', filter.state);
    if (filter.incidentId) query = query.where('n.incident_id', '=', filter.incidentId);
    return query.execute();
  }

  /** Notices not yet planned, in id order from `after`; served by the partial index on unfinished notices. */
  async planningIds(after: string | null, limit: number): Promise<string[]> {
    let query = this.db
      .selectFrom('notices')
      .select('id')
      .where('state', '=', 'planning')
      .orderBy('id')
      .limit(limit);
    if (after) query = query.where('id', '>', after);
    return (await query.execute()).map((r) => r.id);
  }
}
