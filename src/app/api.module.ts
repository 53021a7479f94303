import { DynamicModule, Module } from '@nestjs/common';
import { ApiGuardModule } from '../access/access.module';
import { AudienceModule } from '../audience/audience.module';
import { AppConfig } from '../config/app-config';
import { EventsModule } from '../events/events.module';
import { DirectoryModule } from '../directory/directory.module';
import { DispatchApiModule } from '../dispatch/dispatch-api.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { HealthModule } from '../health/health.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { MetricsModule } from '../metrics/metrics.module';
import { coreImports } from './core-imports';
import { NoticesModule } from '../notices/notices.module';

/** The HTTP process: event intake, directory, incidents, audience previews. */
@Module({})
export class ApiModule {
  /** `withWorker`: the local all-in-one process, which shares one embedded database between both roles. */
  static forRoot(config: AppConfig, options: { withWorker?: boolean } = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ...coreImports(config),
        ApiGuardModule,
        HealthModule,
        MetricsModule,
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
