import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '../access/access.module';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { loggerOptions } from '../common/logging/logger.options';
import { DatabaseModule } from '../database/database.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { QueuesModule } from '../queues/queues.module';

/** The worker process: same modules as the API, no HTTP; plans notices and sends their batches. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.env)),
        DatabaseModule,
        QueuesModule,
        AccessModule,
        DispatchModule,
      ],
    };
  }
}
