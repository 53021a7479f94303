import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { AudienceModule } from '../audience/audience.module';
import { DirectoryModule } from '../directory/directory.module';
import { LedgerModule } from '../ledger/ledger.module';
import { NoticesModule } from '../notices/notices.module';
import { ProvidersModule } from '../providers/providers.module';
import { BatchOpening } from './batch-opening';
import { BatchRecovery } from './batch-recovery';
import { BatchSettlement } from './batch-settlement';
import { DispatchWorker } from './dispatch-worker';
import { NoticeCompletion } from './notice-completion';
import { NoticePlanner } from './notice-planner';
import { NoticeTexts } from './notice-texts';
import { PushBatchSender } from './push-batch.sender';
import { SmsBatchSender } from './sms-batch.sender';

/** Worker side: planning notices into the ledger and sending their batches. */
@Module({
  imports: [ApprovalsModule, AudienceModule, DirectoryModule, LedgerModule, NoticesModule, ProvidersModule],
  providers: [
    BatchOpening,
    BatchRecovery,
    BatchSettlement,
    NoticeCompletion,
    NoticeTexts,
    NoticePlanner,
    PushBatchSender,
    SmsBatchSender,
    DispatchWorker,
  ],
})
export class DispatchModule {}
