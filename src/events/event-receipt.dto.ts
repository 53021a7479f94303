import { ApiProperty } from '@nestjs/swagger';
import { EventReceipt } from './event-intake.service';

export class EventReceiptDto implements EventReceipt {
  @ApiProperty({ example: 'evt-20261125-0001' })
  eventId!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The notice this event creates; null when the event is stale.',
  })
  noticeId!: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'The restored notice this event starts when it brings channels back: it tells customers whose channels are all back.',
  })
  restorationNoticeId!: string | null;

  @ApiProperty({ description: 'True when this id was received before; nothing changed.' })
  duplicate!: boolean;

  @ApiProperty({
    description:
      'True when newer events already said everything this one says: recorded in the timeline, no notice.',
  })
  stale!: boolean;
}
