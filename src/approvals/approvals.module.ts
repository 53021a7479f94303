import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { LedgerModule } from '../ledger/ledger.module';
import { StatusModule } from '../status/status.module';
import { ApprovalGate } from './approval-gate';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsRepository } from './approvals.repository';
import { NoticeApprovals } from './notice-approvals';

/** Four-eyes approval: the gate the planner asks, the decisions of a second person, expiry. */
@Module({
  imports: [AudienceModule, LedgerModule, StatusModule],
  controllers: [ApprovalsController],
  providers: [ApprovalsRepository, ApprovalGate, NoticeApprovals],
  exports: [ApprovalGate, NoticeApprovals],
})
export class ApprovalsModule {}
