import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { sql } from 'kysely';
import { Public } from '../access/caller';
import { DB, Db } from '../database/database.module';
import { REDIS } from '../queues/job-queue';
import { RedisClient } from '../queues/redis-connection';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(DB) private readonly db: Db,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  /** Readiness: the API is useful only while it can store events and queue their notices. */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('database', async () => void (await sql`select 1`.execute(this.db))),
      () => this.probe('redis', async () => void (await this.redis.ping())),
    ]);
  }

  private async probe(key: string, run: () => Promise<void>) {
    const status = this.indicator.check(key);
    try {
      await run();
      return status.up();
    } catch (err) {
      return status.down({ message: (err as Error).message });
    }
  }
}
