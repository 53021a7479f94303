import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import type { Database } from '../database/schema';
import { publicIncident } from './public-incident';
import { IncidentForStatus } from './status-snapshot';

/** How long a resolved incident stays on the status page. */
const RESOLVED_SHOWN_DAYS = 7;

@Injectable()
export class StatusRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /**
   * Runs `write` with the incidents to show while holding the snapshot lock, so a build that read older rows
   * never overwrites the files of one that read newer rows, whichever process each ran in.
   */
  async withIncidentsToShow(
    now: Date,
    write: (incidents: IncidentForStatus[]) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('aviso:status-snapshot'))`.execute(trx);
      await write(await this.incidentsToShow(trx, now));
    });
  }

  /**
   * Open incidents and those resolved in the last week, open first, newest first, as their published events make
   * them (see publicIncident). Stale events told nobody and moved nothing, so they are not public either.
   */
  private async incidentsToShow(db: Kysely<Database>, now: Date): Promise<IncidentForStatus[]> {
    const since = new Date(now.getTime() - RESOLVED_SHOWN_DAYS * 24 * 3600 * 1000);
    const incidents = await db
      .selectFrom('incidents')
      .select(['id', 'ref'])
      .where((eb) => eb.or([eb('status', '=', 'open'), eb('last_event_at', '>=', since)]))
      .execute();
    if (!incidents.length) return [];
    const events = await db
      .selectFrom('events as e')
      .leftJoin('notices as n', 'n.id', 'e.notice_id')
      .select(['e.incident_id', 'e.type', 'e.occurred_at', 'e.body', 'e.notice_id'])
      .where(
        'e.incident_id',
        'in',
        incidents.map((i) => i.id),
      )
      .where('e.stale', '=', false)
      .where((eb) =>
        eb.or([
          eb('e.notice_id', 'is', null),
          eb.and([eb('n.released', '=', true), eb('n.state', '<>', 'cancelled')]),
        ]),
      )
      // The order they were applied in (under the incident's lock): at the same instant, the later one wins.
      .orderBy('e.received_at')
      .execute();
    return incidents
      .flatMap((i) => {
        const shown = publicIncident(
          i.ref,
          events
            .filter((e) => e.incident_id === i.id)
            .map((e) => ({
              type: e.type,
              occurredAt: e.occurred_at,
              body: e.body,
              told: e.notice_id !== null,
            })),
        );
        // A resolution the page shows may be older than the one inside, whose notice is not out.
        return shown && (shown.status === 'open' || shown.lastEventAt >= since) ? [shown] : [];
      })
      .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || +b.openedAt - +a.openedAt);
  }
}
