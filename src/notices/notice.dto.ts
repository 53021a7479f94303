import { ApiProperty } from '@nestjs/swagger';
import type { DeliveryState, EventType, NoticeState } from '../database/schema';

export class DeliveryStateCountsDto implements Record<DeliveryState, number> {
  @ApiProperty() pending!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() skipped!: number;
}

export class NoticeAudienceDto {
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

export class NoticeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty()
  eventId!: string;

  @ApiProperty({ enum: ['opened', 'updated', 'resolved'] })
  type!: EventType;

  @ApiProperty({ enum: ['planning', 'sending', 'done', 'cancelled'] })
  state!: NoticeState;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: NoticeAudienceDto })
  audience!: NoticeAudienceDto;

  @ApiProperty({ type: NoticeCountsDto, description: 'Deliveries by medium and state.' })
  counts!: NoticeCountsDto;
}
