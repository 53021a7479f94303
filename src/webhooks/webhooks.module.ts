import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { LedgerModule } from '../ledger/ledger.module';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { CarrierStatusRecorder } from './carrier-status-recorder';
import { TwilioInboundController } from './twilio-inbound.controller';
import { TwilioStatusIntake } from './twilio-status.intake';

/** Providers calling Aviso back, authenticated by their signature: Twilio's SMS status reports and inbound SMS. */
@Module({
  imports: [LedgerModule, DirectoryModule],
  controllers: [TwilioInboundController],
  providers: [CarrierStatusRecorder, TwilioStatusSignature, TwilioStatusIntake],
})
export class WebhooksModule {}
