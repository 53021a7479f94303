import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CustomerImportService } from './customer-import.service';
import { CustomerValidator } from './customer-validator';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { DirectoryService } from './directory.service';
import { SmsConsentReplies } from './sms-consent-replies';

/** The customer directory: who the bank's customers are, which channels they use, how to reach them. */
@Module({
  controllers: [CustomersController],
  providers: [
    CustomersRepository,
    DirectoryService,
    CustomerImportService,
    SmsConsentReplies,
    {
      provide: CustomerValidator,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new CustomerValidator(config.channels),
    },
  ],
  exports: [CustomersRepository, SmsConsentReplies],
})
export class DirectoryModule {}
