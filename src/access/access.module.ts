import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuditLog } from './audit-log';
import { KeyRateLimit } from './key-rate-limit';

@Global()
@Module({
  providers: [ApiKeysRepository, ApiKeysService, AuditLog],
  exports: [ApiKeysService, AuditLog],
})
export class AccessModule {}

/** Installed by the HTTP application only; the worker and the CLI use AccessModule without it. */
@Module({ providers: [KeyRateLimit, { provide: APP_GUARD, useClass: ApiKeyGuard }] })
export class ApiGuardModule {}
