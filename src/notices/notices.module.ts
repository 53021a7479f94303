import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { StatusModule } from '../status/status.module';
import { NoticeControl } from './notice-control';
import { NoticeOutbox } from './notice-outbox';
import { NoticesController } from './notices.controller';
import { NoticesRepository } from './notices.repository';
import { NoticesService } from './notices.service';

/** Notices: reading one's progress, cancelling it, retrying its failed recipients; the outbox of plannings. */
@Module({
  imports: [LedgerModule, StatusModule],
  controllers: [NoticesController],
  providers: [NoticesRepository, NoticesService, NoticeControl, NoticeOutbox],
  exports: [NoticesRepository, NoticeOutbox, NoticesService, NoticeControl],
})
export class NoticesModule {}
