import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiCaller, Caller, Scopes } from '../access/caller';
import { DecisionResultDto } from './decision.dto';
import { NoticeApprovals } from './notice-approvals';

@ApiBearerAuth()
@ApiTags('notices')
@Controller('v1/notices')
export class ApprovalsController {
  constructor(private readonly approvals: NoticeApprovals) {}

  @Post(':id/approve')
  @HttpCode(200)
  @Scopes('notices:approve')
  @ApiOperation({ summary: 'Release a notice awaiting approval to the senders (not by its submitter)' })
  @ApiOkResponse({ type: DecisionResultDto })
  @ApiForbiddenResponse({ description: 'The caller submitted the event of this notice, or lacks the scope.' })
  @ApiConflictResponse({ description: 'The notice is not awaiting approval.' })
  approve(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<DecisionResultDto> {
    return this.approvals.approve(id, caller);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Scopes('notices:approve')
  @ApiOperation({ summary: 'Drop a notice awaiting approval: nobody hears it' })
  @ApiOkResponse({ type: DecisionResultDto })
  @ApiConflictResponse({ description: 'The notice is not awaiting approval.' })
  reject(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<DecisionResultDto> {
    return this.approvals.reject(id, caller);
  }
}
