import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiCaller, Caller, Scopes } from '../access/caller';
import { NoticeControl } from './notice-control';
import { CancelResultDto, RetryResultDto } from './notice-control.dto';
import { ListNoticesQueryDto, NoticeDto, NoticeListDto } from './notice.dto';
import { NoticesService } from './notices.service';

@ApiBearerAuth()
@Controller('v1/notices')
export class NoticesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly control: NoticeControl,
  ) {}

  @Get()
  @Scopes('incidents:read')
  @ApiTags('incidents')
  @ApiOperation({
    summary: 'Notices, newest first; ?state=awaiting-approval lists what waits for a second person',
  })
  @ApiOkResponse({ type: NoticeListDto })
  list(@Query() query: ListNoticesQueryDto): Promise<NoticeListDto> {
    return this.notices.list(query);
  }

  @Get(':id')
  @Scopes('incidents:read')
  @ApiTags('incidents')
  @ApiOperation({ summary: "A notice's audience size and delivery counts by medium and state" })
  @ApiOkResponse({ type: NoticeDto })
  @ApiNotFoundResponse({ description: 'No notice with this id.' })
  get(@Param('id') id: string): Promise<NoticeDto> {
    return this.notices.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('events:write')
  @ApiTags('notices')
  @ApiOperation({ summary: 'Stop a notice: pending recipients are skipped; what was sent stays recorded' })
  @ApiOkResponse({ type: CancelResultDto })
  cancel(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<CancelResultDto> {
    return this.control.cancel(id, caller);
  }

  @Post(':id/retry-failed')
  @HttpCode(202)
  @Scopes('events:write')
  @ApiTags('notices')
  @ApiOperation({ summary: 'Send again to recipients whose delivery failed for a passing reason' })
  @ApiAcceptedResponse({ type: RetryResultDto })
  retryFailed(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<RetryResultDto> {
    return this.control.retryFailed(id, caller);
  }
}
