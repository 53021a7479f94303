import { ApiProperty } from '@nestjs/swagger';

class ChannelAudienceDto {
  @ApiProperty({ example: 'mobile-app' })
  id!: string;

  @ApiProperty({ description: 'Audience members who used this channel within its activity window.' })
  total!: number;
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
}
