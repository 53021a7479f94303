import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AuditLog } from '../access/audit-log';
import { ApiCaller } from '../access/caller';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { DB, Db } from '../database/database.module';
import { Database } from '../database/schema';
import { applyEvent, planChange, stateOf } from '../incidents/incident-state';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { eventsTotal } from '../metrics/metrics';
import { NoticeOutbox } from '../notices/notice-outbox';
import { NewNoticeInput, NoticesRepository } from '../notices/notices.repository';
import { IncidentEventDto } from './event.dto';
import { EventsRepository, RecordedEvent } from './events.repository';
import { IncidentEventParser, ParsedEvent } from './incident-event-parser';

export interface EventReceipt {
  eventId: string;
  incidentId: string;
  noticeId: string | null;
  duplicate: boolean;
  stale: boolean;
}

/**
 * Accepts an incident event exactly once. One transaction records the event, moves the incident and creates the
 * notice, so a crash leaves either all of it or none; the planning job is queued after commit.
 */
@Injectable()
export class EventIntake {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly parser: IncidentEventParser,
    private readonly events: EventsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly notices: NoticesRepository,
    private readonly outbox: NoticeOutbox,
    private readonly audit: AuditLog,
  ) {}

  async accept(dto: IncidentEventDto, caller: ApiCaller): Promise<EventReceipt> {
    const event = this.parser.parse(dto);
    // Upstream retries are answered from the stored row, without a transaction; a copy racing the first one
    // misses here and is still stopped by the idempotency gate inside the transaction.
    const known = await this.events.find(this.db, event.id);
    const receipt = known
      ? this.duplicateOf(known, event)
      : await this.db.transaction().execute((trx) => this.record(trx, event, caller, new Date()));
    if (receipt.noticeId && !receipt.duplicate) await this.outbox.enqueue(receipt.noticeId);
    eventsTotal.inc({ result: receipt.duplicate ? 'duplicate' : receipt.stale ? 'stale' : 'accepted' });
    return receipt;
  }

  private async record(
    trx: Kysely<Database>,
    event: ParsedEvent,
    caller: ApiCaller,
    acceptedAt: Date,
  ): Promise<EventReceipt> {
    // The event row references its incident, so the incident must exist before the idempotency gate.
    const newId = randomUUID();
    const created = await this.incidents.insertIfAbsent(
      trx,
      newId,
      event.incidentRef,
      applyEvent(null, event).state,
    );
    const incidentId = created ? newId : await this.incidents.idOfRef(trx, event.incidentRef);
    const isNew = await this.events.insertIfNew(trx, {
      id: event.id,
      incidentId,
      type: event.type,
      body: event.body,
      bodyHash: event.bodyHash,
      occurredAt: event.occurredAt,
      receivedAt: acceptedAt,
      receivedBy: caller.keyId,
    });
    if (!isNew) return this.duplicateOf(await this.events.find(trx, event.id), event);

    const current = created ? null : stateOf(await this.incidents.lock(trx, incidentId));
    const change = planChange(current, event, this.config.channels, acceptedAt);
    if (current) await this.incidents.save(trx, incidentId, change.state);
    const notice: NewNoticeInput | null = change.spec && {
      id: randomUUID(),
      incidentId,
      eventId: event.id,
      type: event.type,
      severity: event.severity,
      spec: change.spec,
      content: event.content,
      media: event.media,
    };
    const noticeId = notice?.id ?? null;
    const audit = this.audit.insertion(
      caller,
      {
        action: 'event.accept',
        target: event.id,
        detail: {
          incidentId,
          incidentRef: event.incidentRef,
          type: event.type,
          stale: change.stale,
          noticeId,
        },
      },
      trx,
    );
    // The notice, the event's outcome and the audit entry commit together, in one statement.
    await this.events.settle(trx, event.id, { stale: change.stale, noticeId }, [
      ...(notice ? [this.notices.insertion(trx, notice)] : []),
      audit,
    ]);
    return { eventId: event.id, incidentId, noticeId, duplicate: false, stale: change.stale };
  }

  /** A repeated id is answered as the first time, unless its body differs: that is a caller bug, not a retry. */
  private duplicateOf(first: RecordedEvent | undefined, event: ParsedEvent): EventReceipt {
    // The gate only refuses an id whose row exists, and events are never deleted.
    if (!first) throw new Error(`Event ${event.id} was refused as a duplicate but is not stored`);
    if (first.body_hash !== event.bodyHash) {
      throw new DomainError(
        ErrorCode.Conflict,
        `Event ${event.id} was already received with a different body; a new event needs a new id.`,
        [{ field: 'id', reason: 'already used by an event with a different body' }],
      );
    }
    return {
      eventId: first.id,
      incidentId: first.incident_id,
      noticeId: first.notice_id,
      duplicate: true,
      stale: first.stale,
    };
  }
}
