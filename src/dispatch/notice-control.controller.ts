import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCaller, Caller, Scopes } from '../access/caller';
import { CancelResult, NoticeControl, RetryResult } from './notice-control';

@ApiTags('notices')
@ApiBearerAuth()
@Controller('v1/notices')
export class NoticeControlController {
  constructor(private readonly control: NoticeControl) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('events:write')
  @ApiOperation({ summary: 'Stop a notice: pending recipients are skipped; what was sent stays recorded' })
  cancel(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<CancelResult> {
    return this.control.cancel(id, caller);
  }

  @Post(':id/retry-failed')
  @HttpCode(202)
  @Scopes('events:write')
  @ApiOperation({ summary: 'Send again to recipients whose delivery failed for a passing reason' })
  retryFailed(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<RetryResult> {
    return this.control.retryFailed(id, caller);
  }
}
