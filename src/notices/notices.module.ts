import { Module } from '@nestjs/common';
import { NoticeOutbox } from './notice-outbox';
import { NoticesController } from './notices.controller';
import { NoticesRepository } from './notices.repository';
import { NoticesService } from './notices.service';

@Module({
  controllers: [NoticesController],
  providers: [NoticesRepository, NoticesService, NoticeOutbox],
  exports: [NoticesRepository, NoticeOutbox],
})
export class NoticesModule {}
