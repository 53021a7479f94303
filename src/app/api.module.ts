import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule, ApiGuardModule } from '../access/access.module';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { loggerOptions } from '../common/logging/logger.options';
import { DatabaseModule } from '../database/database.module';
import { HealthModule } from '../health/health.module';
import { QueuesModule } from '../queues/queues.module';

/** The HTTP process: event intake, directory, incidents, audience previews. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.env)),
        DatabaseModule,
        QueuesModule,
        AccessModule,
        ApiGuardModule,
        HealthModule,
      ],
    };
  }
}
