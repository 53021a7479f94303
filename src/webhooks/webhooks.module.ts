import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { CarrierStatusRecorder } from './carrier-status-recorder';
import { TwilioStatusIntake } from './twilio-status.intake';

/** Providers calling Aviso back: Twilio's SMS status reports, authenticated by their signature. */
@Module({
  imports: [LedgerModule],
  providers: [CarrierStatusRecorder, TwilioStatusSignature, TwilioStatusIntake],
})
export class WebhooksModule {}
