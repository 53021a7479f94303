import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '../access/caller';
import { NoticeDto } from './notice.dto';
import { NoticesService } from './notices.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get(':id')
  @Scopes('incidents:read')
  @ApiOperation({ summary: "A notice's audience size and delivery counts by medium and state" })
  @ApiOkResponse({ type: NoticeDto })
  @ApiNotFoundResponse({ description: 'No notice with this id.' })
  get(@Param('id') id: string): Promise<NoticeDto> {
    return this.notices.get(id);
  }
}
