import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Kysely, OperationNodeSource } from 'kysely';
import { LRUCache } from 'lru-cache';
import { AuditLog } from '../access/audit-log';
import { actorOf, ApiCaller } from '../access/caller';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { DB, Db } from '../database/database.module';
import { executeAsOne, isUniqueViolation } from '../database/one-statement';
import { Database } from '../database/schema';
import { IncidentChange, incidentUnknown, planChange, stateOf } from '../incidents/incident-state';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { eventsTotal } from '../metrics/metrics';
import { NoticeOutbox } from '../notices/notice-outbox';
import { NewNoticeInput, NoticesRepository } from '../notices/notices.repository';
import { StatusPublisher } from '../status/status-publisher';
import { IncidentEventDto } from './event.dto';
import { EventsRepository, RecordedEvent } from './events.repository';
import { IncidentEventParser, ParsedEvent } from './incident-event-parser';

export interface EventReceipt {
  eventId: string;
  incidentId: string;
  noticeId: string | null;
  /** The `restored` notice the event starts when it brings channels back. */
  restorationNoticeId: string | null;
  duplicate: boolean;
  stale: boolean;
}

/** An event being stored: who sent it and when. */
interface Arrival {
  event: ParsedEvent;
  caller: ApiCaller;
  acceptedAt: Date;
}

/** Events this process answered lately; a stored event never changes, so remembering it is always safe. */
const RECENT_EVENTS = 10_000;

/**
 * Accepts an incident event exactly once. The event, its incident's new state, its notice and its audit entry are
 * written by one statement, so a crash leaves either all of it or none; the planning job is queued after commit.
 */
@Injectable()
export class EventIntake {
  private readonly recent = new LRUCache<string, RecordedEvent>({ max: RECENT_EVENTS });

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly parser: IncidentEventParser,
    private readonly events: EventsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly notices: NoticesRepository,
    private readonly outbox: NoticeOutbox,
    private readonly audit: AuditLog,
    private readonly status: StatusPublisher,
  ) {}

  async accept(dto: IncidentEventDto, caller: ApiCaller): Promise<EventReceipt> {
    const event = this.parser.parse(dto);
    const receipt = await this.receive(event, caller);
    this.recent.set(receipt.eventId, {
      id: receipt.eventId,
      incident_id: receipt.incidentId,
      notice_id: receipt.noticeId,
      restoration_notice_id: receipt.restorationNoticeId,
      stale: receipt.stale,
      body_hash: event.bodyHash,
    });
    if (!receipt.duplicate) {
      for (const id of [receipt.noticeId, receipt.restorationNoticeId]) if (id) await this.outbox.enqueue(id);
    }
    // Not awaited: the public page follows within a moment, and the event's answer does not wait for it.
    if (!receipt.duplicate) void this.status.request();
    eventsTotal.inc({ result: receipt.duplicate ? 'duplicate' : receipt.stale ? 'stale' : 'accepted' });
    return receipt;
  }

  /**
   * The first answer to an event id already stored, as a duplicate; undefined when the id is new. For translated
   * events (Alertmanager) whose body depends on the incident's state when they first arrived.
   */
  async previous(id: string): Promise<EventReceipt | undefined> {
    const first = this.recent.get(id) ?? (await this.events.find(this.db, id));
    if (!first) return undefined;
    eventsTotal.inc({ result: 'duplicate' });
    return duplicateReceipt(first);
  }

  /**
   * Upstream retries (half of the requests in an incident storm) are answered from memory or from the stored row,
   * without a transaction; a copy racing the first one misses both and is stopped by the event's primary key.
   */
  private async receive(event: ParsedEvent, caller: ApiCaller): Promise<EventReceipt> {
    const remembered = this.recent.get(event.id);
    if (remembered) return this.duplicateOf(remembered, event);
    const seen = await this.events.lookup(this.db, event.id, event.incidentRef);
    return seen.event ? this.duplicateOf(seen.event, event) : this.store(event, caller, seen.incidentKnown);
  }

  private async store(event: ParsedEvent, caller: ApiCaller, incidentKnown: boolean): Promise<EventReceipt> {
    const arrival: Arrival = { event, caller, acceptedAt: new Date() };
    // A resolved event never opens its incident; the locked path below refuses it if the incident is unknown.
    if (!incidentKnown && event.type !== 'resolved') {
      // Declaring an incident is the urgent case and needs no lock: one statement, no transaction.
      const receipt = await this.storeOpening(arrival);
      if (receipt) return receipt;
    }
    try {
      return await this.db.transaction().execute((trx) => this.storeInIncident(trx, arrival));
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.duplicateOf(await this.events.find(this.db, event.id), event);
    }
  }

  /** An event whose incident is not known: undefined when the incident or the event appeared meanwhile. */
  private async storeOpening(arrival: Arrival): Promise<EventReceipt | undefined> {
    const incidentId = randomUUID();
    const { event } = arrival;
    const opening = this.openingBy(arrival);
    const incident = this.incidents.insertion(this.db, incidentId, event.incidentRef, opening.state);
    try {
      return await this.write(this.db, arrival, incidentId, incident, opening);
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  /**
   * Under the incident's row lock (taking it creates the incident, except for a resolved event), so its events
   * apply in turn.
   */
  private async storeInIncident(trx: Kysely<Database>, arrival: Arrival): Promise<EventReceipt> {
    const { event } = arrival;
    if (event.type !== 'resolved') {
      const newId = randomUUID();
      const opening = this.openingBy(arrival);
      if (await this.incidents.insertIfAbsent(trx, newId, event.incidentRef, opening.state)) {
        return this.write(trx, arrival, newId, null, opening);
      }
    }
    const current = await this.incidents.lockByRef(trx, event.incidentRef);
    if (!current) throw incidentUnknown();
    const change = planChange(stateOf(current), event, this.config.channels, arrival.acceptedAt);
    const update = this.incidents.stateUpdate(trx, current.id, change.state);
    return this.write(trx, arrival, current.id, update, change);
  }

  /** What the event does to an incident it is the first of. */
  private openingBy({ event, acceptedAt }: Arrival): IncidentChange {
    return planChange(null, event, this.config.channels, acceptedAt);
  }

  /** The event with its outcome, the incident's write when there is one, the notice and the audit entry. */
  private async write(
    db: Kysely<Database>,
    { event, caller, acceptedAt }: Arrival,
    incidentId: string,
    incidentWrite: OperationNodeSource | null,
    change: IncidentChange,
  ): Promise<EventReceipt> {
    const notice: NewNoticeInput | null = change.spec && {
      id: randomUUID(),
      incidentId,
      eventId: event.id,
      type: event.type,
      severity: event.severity,
      spec: change.spec,
      content: { ...event.content, channels: change.subject },
      media: event.media,
      submittedBy: actorOf(caller),
    };
    const restoration: NewNoticeInput | null = change.restoration && {
      id: randomUUID(),
      incidentId,
      eventId: event.id,
      type: 'restored',
      severity: event.severity,
      spec: change.restoration.spec,
      // The event's own words are about what still fails: the template tells these readers theirs is back.
      content: { channels: change.restoration.subject },
      media: event.media,
      submittedBy: actorOf(caller),
    };
    const noticeId = notice?.id ?? null;
    const restorationNoticeId = restoration?.id ?? null;
    const stale = change.stale;
    await executeAsOne(db, [
      ...(incidentWrite ? [incidentWrite] : []),
      this.events.insertion(db, {
        id: event.id,
        incidentId,
        type: event.type,
        body: event.body,
        bodyHash: event.bodyHash,
        occurredAt: event.occurredAt,
        receivedAt: acceptedAt,
        receivedBy: caller.id,
        stale,
        noticeId,
      }),
      ...[notice, restoration].flatMap((n) => (n ? [this.notices.insertion(db, n)] : [])),
      this.audit.insertion(db, caller, {
        action: 'event.accept',
        target: event.id,
        detail: {
          incidentId,
          incidentRef: event.incidentRef,
          type: event.type,
          stale,
          noticeId,
          ...(restorationNoticeId && { restorationNoticeId }),
        },
      }),
    ]);
    return { eventId: event.id, incidentId, noticeId, restorationNoticeId, duplicate: false, stale };
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
    return duplicateReceipt(first);
  }
}

function duplicateReceipt(first: RecordedEvent): EventReceipt {
  return {
    eventId: first.id,
    incidentId: first.incident_id,
    noticeId: first.notice_id,
    restorationNoticeId: first.restoration_notice_id,
    duplicate: true,
    stale: first.stale,
  };
}
