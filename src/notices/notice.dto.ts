import { ApiProperty } from '@nestjs/swagger';
import type { DeliveryState, NoticeKind, NoticeState } from '../database/schema';

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

  @ApiProperty({ enum: ['planning', 'sending', 'done', 'cancelled'] })
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
}
