import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule, ApiGuardModule } from '../access/access.module';
import { AudienceModule } from '../audience/audience.module';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { loggerOptions } from '../common/logging/logger.options';
import { DatabaseModule } from '../database/database.module';
import { EventsModule } from '../events/events.module';
import { DirectoryModule } from '../directory/directory.module';
import { DispatchApiModule } from '../dispatch/dispatch-api.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { HealthModule } from '../health/health.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { NoticesModule } from '../notices/notices.module';
import { QueuesModule } from '../queues/queues.module';

/** The HTTP process: event intake, directory, incidents, audience previews. */
@Module({})
export class ApiModule {
  /** `withWorker`: the local all-in-one process, which shares one embedded database between both roles. */
  static forRoot(config: AppConfig, options: { withWorker?: boolean } = {}): DynamicModule {
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
        EventsModule,
        IncidentsModule,
        NoticesModule,
        AudienceModule,
        DirectoryModule,
        DispatchApiModule,
        ...(options.withWorker ? [DispatchModule] : []),
      ],
    };
  }
}
