import { Module } from '@nestjs/common';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { CarrierStatusRecorder } from './carrier-status-recorder';
import { DeliveryLedger } from './delivery-ledger';
import { NoticeControl } from './notice-control';
import { NoticeControlController } from './notice-control.controller';
import { TwilioStatusIntake } from './twilio-status.intake';

/** API side of dispatch: incident managers' controls and the providers' delivery reports. */
@Module({
  controllers: [NoticeControlController],
  providers: [
    DeliveryLedger,
    CarrierStatusRecorder,
    NoticeControl,
    TwilioStatusSignature,
    TwilioStatusIntake,
  ],
})
export class DispatchApiModule {}
