import { DynamicModule, Module } from '@nestjs/common';
import { ApiGuardModule } from '../access/access.module';
import { ApprovalsModule } from '../approvals/approvals.module';
import { AudienceModule } from '../audience/audience.module';
import { AuditModule } from '../audit/audit.module';
import { AlertmanagerModule } from '../alertmanager/alertmanager.module';
import { ConsoleModule } from '../console/console.module';
import { AppConfig } from '../config/app-config';
import { EventsModule } from '../events/events.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { DirectoryModule } from '../directory/directory.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { HealthModule } from '../health/health.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { MetricsModule } from '../metrics/metrics.module';
import { coreImports } from './core-imports';
import { NoticesModule } from '../notices/notices.module';
import { StatusPageModule } from '../status/status.module';
import { WebhooksModule } from '../webhooks/webhooks.module';

/** The HTTP process: event intake, directory, incidents, notices, audience previews, provider webhooks. */
@Module({})
export class ApiModule {
  /** `withWorker`: the local all-in-one process, which shares one embedded database between both roles. */
  static forRoot(config: AppConfig, options: { withWorker?: boolean } = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ...coreImports(config),
        ApiGuardModule,
        HealthModule.forRole('api'),
        MetricsModule,
        EventsModule,
        AlertmanagerModule,
        IncidentsModule,
        NoticesModule,
        ApprovalsModule,
        ConsoleModule,
        AudienceModule,
        DirectoryModule,
        WebhooksModule,
        AuditModule,
        EvidenceModule,
        StatusPageModule,
        ...(options.withWorker ? [DispatchModule] : []),
      ],
    };
  }
}
