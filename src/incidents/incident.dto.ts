import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageLimit } from '../common/validation/page-limit';
import type { ChannelStatus, EventType, IncidentStatus, Severity } from '../database/schema';

export class ListIncidentsQueryDto {
  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: IncidentStatus;
}

class ChannelStateDto {
  @ApiProperty({ example: 'mobile-app' })
  id!: string;

  @ApiProperty({ enum: ['down', 'degraded', 'restored'] })
  status!: ChannelStatus;
}

export class IncidentSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'INC-4821' })
  ref!: string;

  @ApiProperty({ enum: ['open', 'resolved'] })
  status!: IncidentStatus;

  @ApiProperty({ enum: ['critical', 'major', 'minor'] })
  severity!: Severity;

  @ApiProperty({ type: [String], nullable: true, description: 'null: everywhere.' })
  regions!: string[] | null;

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiProperty({ format: 'date-time', description: 'occurredAt of the newest applied event.' })
  lastEventAt!: string;

  @ApiProperty({
    type: [ChannelStateDto],
    description: 'Current status of every channel the incident touched.',
  })
  channels!: ChannelStateDto[];
}

export class TimelineEntryDto {
  @ApiProperty()
  eventId!: string;

  @ApiProperty({ enum: ['opened', 'updated', 'resolved'] })
  type!: EventType;

  @ApiProperty({ enum: ['critical', 'major', 'minor'] })
  severity!: Severity;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({
    description:
      'Everything it said was already superseded by newer events: recorded, changed nothing, notified no one.',
  })
  stale!: boolean;

  @ApiProperty({ format: 'uuid', type: String, nullable: true })
  noticeId!: string | null;

  @ApiProperty({ type: [ChannelStateDto], description: 'The channel statuses this event reported.' })
  channels!: ChannelStateDto[];
}

export class IncidentDetailDto extends IncidentSummaryDto {
  @ApiProperty({ type: [TimelineEntryDto], description: 'Every event, in order of occurrence.' })
  timeline!: TimelineEntryDto[];
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentSummaryDto] })
  items!: IncidentSummaryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null at the end.',
  })
  nextCursor!: string | null;
}
