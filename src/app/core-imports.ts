import { DynamicModule, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '../access/access.module';
import { loggerOptions } from '../common/logging/logger.options';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { QueuesModule } from '../queues/queues.module';

/** What every process is built on: validated config, logging, the database, the queues, keys and audit. */
export function coreImports(config: AppConfig): (Type | DynamicModule)[] {
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRoot(loggerOptions(config.env)),
    DatabaseModule,
    QueuesModule,
    AccessModule,
  ];
}
