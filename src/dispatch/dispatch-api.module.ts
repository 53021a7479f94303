import { Module } from '@nestjs/common';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { CarrierStatusRecorder } from './carrier-status-recorder';
import { LedgerModule } from '../ledger/ledger.module';
import { NoticesModule } from '../notices/notices.module';
import { NoticeControl } from './notice-control';
import { NoticeControlController } from './notice-control.controller';
import { TwilioStatusIntake } from './twilio-status.intake';

/** API side of dispatch: incident managers' controls and the providers' delivery reports. */
@Module({
  imports: [LedgerModule, NoticesModule],
  controllers: [NoticeControlController],
  providers: [CarrierStatusRecorder, NoticeControl, TwilioStatusSignature, TwilioStatusIntake],
})
export class DispatchApiModule {}
