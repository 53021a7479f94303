import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '../access/caller';
import { IncidentEventDto } from '../events/event.dto';
import { AudiencePreviewDto } from './audience-preview.dto';
import { AudiencePreview } from './audience-preview.service';

@ApiTags('audience')
@ApiBearerAuth()
@Controller('v1/audience')
export class AudienceController {
  constructor(private readonly audience: AudiencePreview) {}

  @Post('preview')
  @HttpCode(200)
  @Scopes('incidents:read', 'events:write')
  @ApiOperation({
    summary: 'Count who an event would notify, without storing anything',
    description:
      "Takes an event body and merges it with the incident's current state exactly as intake would.",
  })
  @ApiOkResponse({ type: AudiencePreviewDto })
  preview(@Body() event: IncidentEventDto): Promise<AudiencePreviewDto> {
    return this.audience.preview(event);
  }
}
