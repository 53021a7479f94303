import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { PROCESS_ROLE, ProcessRole, Readiness } from './readiness';

/** Liveness and readiness; the API serves them over HTTP, the worker on its metrics port. */
@Module({})
export class HealthModule {
  static forRole(role: ProcessRole): DynamicModule {
    return {
      module: HealthModule,
      controllers: role === 'api' ? [HealthController] : [],
      providers: [{ provide: PROCESS_ROLE, useValue: role }, Readiness],
      exports: [Readiness],
    };
  }
}
