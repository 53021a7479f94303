import { ApiProperty } from '@nestjs/swagger';

class ChannelAudienceDto {
  @ApiProperty({ example: 'mobile-app' })
  id!: string;

  @ApiProperty({ description: 'Audience members who used this channel within its activity window.' })
  total!: number;
}

class PushTextDto {
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
}

class SmsTextDto {
  @ApiProperty({ description: 'As sent: shaped to GSM-7 and fitted to SMS_MAX_SEGMENTS.' }) text!: string;
  @ApiProperty({ enum: ['GSM-7', 'UCS-2'] }) encoding!: 'GSM-7' | 'UCS-2';
  @ApiProperty() segments!: number;
  @ApiProperty({ description: 'Septets (GSM-7) or UTF-16 units (UCS-2).' }) characters!: number;
  @ApiProperty({ type: [String], description: 'Parts left out or shortened to fit, in order.' })
  dropped!: string[];
}

export class PreviewMessageDto {
  @ApiProperty({ example: 'es-CO' }) locale!: string;
  @ApiProperty({ description: 'The audience member whose texts these are (the first of the locale).' })
  sampleCustomerId!: string;
  @ApiProperty({ type: PushTextDto }) push!: PushTextDto;
  @ApiProperty({ type: SmsTextDto }) sms!: SmsTextDto;
}

class RecipientsByMediumDto {
  @ApiProperty() push!: number;
  @ApiProperty() sms!: number;
}

export class PreviewTotalsDto {
  @ApiProperty({
    type: RecipientsByMediumDto,
    description: 'Deliveries per medium (a critical notice uses both).',
  })
  recipients!: RecipientsByMediumDto;

  @ApiProperty({ description: 'Customers whose quiet hours would hold the notice if it were sent now.' })
  heldByQuietHours!: number;

  @ApiProperty({ description: "SMS segments: each locale's SMS recipients times its sample's segments." })
  smsSegments!: number;

  @ApiProperty({ description: 'smsSegments × SMS_SEGMENT_COST.' })
  estimatedCost!: number;
}

export class AudiencePreviewDto {
  @ApiProperty({ description: 'Customers the notice would reach.' })
  total!: number;

  @ApiProperty({ description: 'Audience members reachable by push.' })
  push!: number;

  @ApiProperty({ description: 'Audience members reachable only by SMS.' })
  smsOnly!: number;

  @ApiProperty({
    description: 'Affected customers with no consented, reachable medium (not counted in total).',
  })
  unreachable!: number;

  @ApiProperty({ type: [ChannelAudienceDto] })
  channels!: ChannelAudienceDto[];

  @ApiProperty({
    description: 'True when the incident already has a newer event: intake would notify nobody.',
  })
  stale!: boolean;

  @ApiProperty({
    type: [PreviewMessageDto],
    description: 'What would be sent, per locale of the audience.',
  })
  messages!: PreviewMessageDto[];

  @ApiProperty({ type: PreviewTotalsDto })
  totals!: PreviewTotalsDto;
}
