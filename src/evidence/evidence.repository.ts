import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import { DeliveryState, IncidentRow, Medium, NoticeKind } from '../database/schema';

/** Rows pulled from the database per round trip while streaming. */
const CHUNK = 1_000;

export interface DeliveryEvidenceRow {
  notice_id: string;
  notice_kind: NoticeKind;
  customer_id: string;
  medium: Medium;
  phone: string | null;
  tokens: string[] | null;
  state: DeliveryState;
  reason: string | null;
  provider_code: string | null;
  provider_message_id: string | null;
  segments: number | null;
  created_at: Date;
  sent_at: Date | null;
  updated_at: Date;
}

/** The SQL of an incident's evidence: every delivery of its notices, its events, the audit entries about it. */
@Injectable()
export class EvidenceRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** By id (uuid) or by public reference; one no reference can be (a NUL, over 64 characters) finds nothing. */
  async findIncident(idOrRef: string): Promise<IncidentRow | undefined> {
    if (!isUUID(idOrRef) && (idOrRef.length > 64 || idOrRef.includes('\0'))) return undefined;
    return this.db
      .selectFrom('incidents')
      .selectAll()
      .where(isUUID(idOrRef) ? 'id' : 'ref', '=', idOrRef)
      .executeTakeFirst();
  }

  notices(incidentId: string): Promise<{ id: string }[]> {
    return this.db
      .selectFrom('notices')
      .select('id')
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /**
   * One notice's deliveries through a server-side cursor, in primary-key order (customer, medium), with where they
   * went: the phone for SMS, the devices for push. The ledger keeps no copy of either, so these are the
   * customer's current ones.
   */
  deliveries(noticeId: string): AsyncIterableIterator<DeliveryEvidenceRow> {
    return this.db
      .selectFrom('deliveries as d')
      .innerJoin('notices as n', 'n.id', 'd.notice_id')
      .leftJoin('customers as c', 'c.id', 'd.customer_id')
      .select([
        'd.notice_id',
        'n.type as notice_kind',
        'd.customer_id',
        'd.medium',
        sql<string | null>`CASE WHEN d.medium = 'sms' THEN c.phone END`.as('phone'),
        sql<string[] | null>`CASE WHEN d.medium = 'push' THEN
          (SELECT array_agg(token ORDER BY token) FROM devices WHERE customer_id = d.customer_id) END`.as(
          'tokens',
        ),
        'd.state',
        'd.reason',
        'd.provider_code',
        'd.provider_message_id',
        'd.segments',
        'd.created_at',
        'd.sent_at',
        'd.updated_at',
      ])
      .where('d.notice_id', '=', noticeId)
      .orderBy('d.customer_id')
      .orderBy('d.medium')
      .stream(CHUNK);
  }

  events(incidentId: string) {
    return this.db
      .selectFrom('events')
      .select(['id', 'type', 'occurred_at', 'received_at', 'received_by', 'stale', 'notice_id', 'body'])
      .where('incident_id', '=', incidentId)
      .orderBy('occurred_at')
      .orderBy('received_at')
      .execute();
  }

  /**
   * Audit entries about the incident: on its events or notices (accepted, cancelled, retried, approved), or naming
   * one of its notices or the incident in their detail (device prunes and STOP revocations name the notice).
   */
  audit(incidentId: string, targets: string[]) {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('target', 'in', [incidentId, ...targets]),
          eb(sql`detail->>'noticeId'`, 'in', targets.length ? targets : ['']),
          eb(sql`detail->>'incidentId'`, '=', incidentId),
        ]),
      )
      .orderBy('at')
      .orderBy('id')
      .stream(CHUNK);
  }
}
