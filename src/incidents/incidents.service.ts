import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { decodeTimeCursor, encodeTimeCursor } from '../common/pagination/time-cursor';
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
    const position = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor, isUUID);
    const after = position && { openedAt: position.at, id: position.id };
    const rows = await this.incidents.page({ limit: limit + 1, status: query.status, after });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(summaryOf),
      nextCursor: rows.length > limit ? encodeTimeCursor(last.opened_at, last.id) : null,
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
