import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageLimit } from '../common/validation/page-limit';
import type {
  DeliveryState,
  NoticeContent,
  NoticeKind,
  NoticeState,
  Rejection,
  Severity,
} from '../database/schema';

export const NOTICE_STATES: NoticeState[] = [
  'planning',
  'awaiting-approval',
  'sending',
  'done',
  'cancelled',
  'rejected',
];

export class ListNoticesQueryDto {
  @ApiPropertyOptional({ enum: NOTICE_STATES, description: 'Only notices in this state.' })
  @IsOptional()
  @IsIn(NOTICE_STATES)
  state?: NoticeState;

  @PageLimit()
  limit?: number;
}

export class NoticeApprovalDto {
  @ApiProperty({
    description: 'Whether the senders may have its batches (within the threshold, or approved).',
  })
  released!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Who sent its event: key:<id>:<name> or user:<id>:<email>',
  })
  submittedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Who approved or rejected it; null for expiry' })
  decidedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['rejected', 'expired', 'superseded'] })
  rejection!: Rejection | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'While awaiting approval: when it expires unapproved.',
  })
  expiresAt!: string | null;
}

export class NoticeSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) incidentId!: string;
  @ApiProperty({ example: 'INC-4821' }) incidentRef!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: ['opened', 'updated', 'restored', 'resolved'] }) type!: NoticeKind;
  @ApiProperty({ enum: ['critical', 'major', 'minor'] }) severity!: Severity;
  @ApiProperty({ enum: NOTICE_STATES }) state!: NoticeState;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Recipients; null until counted.' })
  audience!: number | null;
  @ApiProperty({
    description:
      "What the event said: message, title and advice by locale, assurances, next update; the catalog's templates fill in the rest.",
    example: { message: { 'es-CO': '…', en: '…' }, assurances: ['funds-safe'] },
  })
  content!: NoticeContent;
  @ApiProperty({ type: NoticeApprovalDto }) approval!: NoticeApprovalDto;
}

export class NoticeListDto {
  @ApiProperty({ type: [NoticeSummaryDto] }) items!: NoticeSummaryDto[];
}

export class DeliveryStateCountsDto implements Record<DeliveryState, number> {
  @ApiProperty({ description: 'Waiting to be sent now (not counting deferred).' }) pending!: number;
  @ApiProperty({ description: "Held by the customer's quiet hours; they go when the window ends." })
  deferred!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() skipped!: number;
}

class NoticeAudienceDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Customers in the audience; null until planned.',
  })
  total!: number | null;

  @ApiProperty({ description: 'Customers planned into delivery batches so far.' })
  planned!: number;
}

export class NoticeCountsDto {
  @ApiProperty({ type: DeliveryStateCountsDto })
  push!: DeliveryStateCountsDto;

  @ApiProperty({ type: DeliveryStateCountsDto })
  sms!: DeliveryStateCountsDto;
}

export class NoticeDeferredDto {
  @ApiProperty({ description: 'Deliveries held by quiet hours.' })
  total!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the first of them goes.',
  })
  firstAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the last of them goes.',
  })
  lastAt!: string | null;
}

export class NoticeThroughputDto {
  @ApiProperty({ description: 'Recipients the providers accepted (sent or delivered).' })
  sent!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstSentAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSentAt!: string | null;

  @ApiProperty({ description: 'Recipients sent per second between the first and the last send.' })
  perSecond!: number;
}

export class NoticeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty()
  eventId!: string;

  @ApiProperty({ enum: ['opened', 'updated', 'restored', 'resolved'] })
  type!: NoticeKind;

  @ApiProperty({ enum: NOTICE_STATES })
  state!: NoticeState;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: NoticeAudienceDto })
  audience!: NoticeAudienceDto;

  @ApiProperty({ type: NoticeCountsDto, description: 'Deliveries by medium and state.' })
  counts!: NoticeCountsDto;

  @ApiProperty({
    description: 'Why recipients were failed or skipped: reason → count, per state.',
    example: { failed: { 'retries-exhausted': 3, permanent: 1 }, skipped: { cooldown: 12 } },
  })
  reasons!: { failed: Record<string, number>; skipped: Record<string, number> };

  @ApiProperty({
    type: NoticeDeferredDto,
    description: "Deliveries waiting for the end of customers' quiet hours.",
  })
  deferred!: NoticeDeferredDto;

  @ApiProperty({ type: NoticeThroughputDto })
  throughput!: NoticeThroughputDto;

  @ApiProperty({ type: NoticeApprovalDto })
  approval!: NoticeApprovalDto;
}
