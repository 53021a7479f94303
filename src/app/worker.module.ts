import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DispatchModule } from '../dispatch/dispatch.module';
import { HealthModule } from '../health/health.module';
import { coreImports } from './core-imports';

/** The worker process: same modules as the API, no HTTP; plans notices and sends their batches. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [...coreImports(config), DispatchModule, HealthModule.forRole('worker')],
    };
  }
}
