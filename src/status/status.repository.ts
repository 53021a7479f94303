import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import { IncidentForStatus } from './status-snapshot';

/** How long a resolved incident stays on the status page. */
const RESOLVED_SHOWN_DAYS = 7;

@Injectable()
export class StatusRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /**
   * Open incidents and those resolved in the last week, open first, newest first, each with the events that
   * started a notice (stale events told nobody, so they are not public either).
   */
  async incidentsToShow(now: Date): Promise<IncidentForStatus[]> {
    const since = new Date(now.getTime() - RESOLVED_SHOWN_DAYS * 24 * 3600 * 1000);
    const incidents = await this.db
      .selectFrom('incidents')
      .select(['id', 'ref', 'status', 'severity', 'channels', 'opened_at', 'last_event_at'])
      .where((eb) => eb.or([eb('status', '=', 'open'), eb('last_event_at', '>=', since)]))
      .orderBy(sql`status = 'open'`, 'desc')
      .orderBy('opened_at', 'desc')
      .execute();
    if (!incidents.length) return [];
    const events = await this.db
      .selectFrom('events')
      .select(['incident_id', 'type', 'occurred_at', 'body'])
      .where(
        'incident_id',
        'in',
        incidents.map((i) => i.id),
      )
      .where('stale', '=', false)
      .where('notice_id', 'is not', null)
      .orderBy('occurred_at')
      .orderBy('received_at')
      .execute();
    return incidents.map((i) => ({
      ref: i.ref,
      status: i.status,
      severity: i.severity,
      channels: i.channels,
      openedAt: i.opened_at,
      lastEventAt: i.last_event_at,
      events: events
        .filter((e) => e.incident_id === i.id)
        .map((e) => ({ type: e.type, occurredAt: e.occurred_at, body: e.body })),
    }));
  }
}
