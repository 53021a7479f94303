import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCaller, Caller, Scopes } from '../access/caller';
import { NoticeControl } from './notice-control';
import { CancelResultDto, RetryResultDto } from './notice-control.dto';

@ApiTags('notices')
@ApiBearerAuth()
@Controller('v1/notices')
export class NoticeControlController {
  constructor(private readonly control: NoticeControl) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('events:write')
  @ApiOperation({ summary: 'Stop a notice: pending recipients are skipped; what was sent stays recorded' })
  @ApiOkResponse({ type: CancelResultDto })
  cancel(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<CancelResultDto> {
    return this.control.cancel(id, caller);
  }

  @Post(':id/retry-failed')
  @HttpCode(202)
  @Scopes('events:write')
  @ApiOperation({ summary: 'Send again to recipients whose delivery failed for a passing reason' })
  @ApiAcceptedResponse({ type: RetryResultDto })
  retryFailed(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<RetryResultDto> {
    return this.control.retryFailed(id, caller);
  }
}
