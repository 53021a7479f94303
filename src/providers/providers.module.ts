import { Module } from '@nestjs/common';
import { AppConfig, ConfigError } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { resolvePushSettings, resolveSmsSettings } from './provider-settings';
import { PushSender } from './push/push-sender';
import { SmsSender } from './sms/sms-sender';

/** The provider adapters for the worker. Each closes its SDK resources on application shutdown. */
@Module({
  providers: [
    {
      provide: PushSender,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const settings = resolvePushSettings(config.env);
        if (!settings)
          throw new ConfigError('Push needs FCM_BASE_URL (a simulator) or GOOGLE_APPLICATION_CREDENTIALS');
        return PushSender.open(settings);
      },
    },
    {
      provide: SmsSender,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const settings = resolveSmsSettings(config.env);
        if (!settings) {
          throw new ConfigError(
            'SMS needs TWILIO_BASE_URL (a simulator) or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
          );
        }
        return SmsSender.open(settings);
      },
    },
  ],
  exports: [PushSender, SmsSender],
})
export class ProvidersModule {}
