import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { ChannelState, IncidentRow, Severity } from '../database/schema';
import {
  IncidentDetailDto,
  IncidentPageDto,
  IncidentSummaryDto,
  ListIncidentsQueryDto,
  TimelineEntryDto,
} from './incident.dto';
import { IncidentsRepository, TimelineRow } from './incidents.repository';

const DEFAULT_PAGE = 50;

/** The read side of incidents: listing and the timeline of one. */
@Injectable()
export class IncidentsService {
  constructor(private readonly incidents: IncidentsRepository) {}

  async list(query: ListIncidentsQueryDto): Promise<IncidentPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.incidents.page({ limit: limit + 1, status: query.status, after });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(summaryOf),
      nextCursor: rows.length > limit ? encodeCursor(last) : null,
    };
  }

  async get(id: string): Promise<IncidentDetailDto> {
    // Ids that cannot exist are simply not found; the database would reject them as malformed uuids.
    const row = isUUID(id) ? await this.incidents.find(id) : undefined;
    if (!row) throw DomainError.notFound('Incident', id);
    const timeline = await this.incidents.timeline(id);
    return { ...summaryOf(row), timeline: timeline.map(timelineEntryOf) };
  }
}

function summaryOf(row: IncidentRow): IncidentSummaryDto {
  return {
    id: row.id,
    ref: row.ref,
    status: row.status,
    severity: row.severity,
    regions: row.regions,
    openedAt: row.opened_at.toISOString(),
    lastEventAt: row.last_event_at.toISOString(),
    channels: row.channels.map(({ id, status }) => ({ id, status })),
  };
}

function timelineEntryOf(row: TimelineRow): TimelineEntryDto {
  return {
    eventId: row.id,
    type: row.type,
    severity: row.body.severity as Severity,
    occurredAt: row.occurred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    stale: row.stale,
    noticeId: row.notice_id,
    channels: row.body.channels as ChannelState[],
  };
}

function encodeCursor(row: IncidentRow): string {
  return Buffer.from(JSON.stringify([row.opened_at.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { openedAt: Date; id: string } {
  try {
    const [openedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const at = new Date(String(openedAt));
    // Only what encodeCursor writes: a date JavaScript reads but PostgreSQL cannot (year -200000) is no cursor.
    const written = !Number.isNaN(at.getTime()) && at.toISOString() === openedAt && /^\d{4}-/.test(openedAt);
    if (typeof id === 'string' && isUUID(id) && written) return { openedAt: at, id };
  } catch {
    // fall through to the validation error
  }
  throw DomainError.validation([{ field: 'cursor', reason: 'is not a cursor returned by this endpoint' }]);
}
