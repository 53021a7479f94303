import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { withTimeout } from '../common/with-timeout';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DB, Db } from '../database/database.module';
import { REDIS } from '../queues/job-queue';
import { RedisClient } from '../queues/redis-connection';

/** Each probe gets this long: an outage makes a probe fail, never hang a scrape or a load balancer. */
export const PROBE_TIMEOUT_MS = 1_000;

/** Which process is asking: Redis being away stops the worker, while the API keeps taking events. */
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');
export type ProcessRole = 'api' | 'worker';

interface Check {
  status: 'up' | 'down';
  message?: string;
  /** False when this check is reported but does not decide readiness. */
  required: boolean;
}

export interface ReadinessReport {
  status: 'ok' | 'error' | 'stopping';
  checks: { database: Check; redis: Check };
}

/**
 * Readiness of this process, for `/health/ready`: the database must answer (nothing is stored without it); Redis must
 * answer for the worker only, since the API stores events and notices without it and the planning sweep queues them
 * later. Once the process is asked to stop, it is not ready: the API keeps serving for SHUTDOWN_GRACE_MS so load
 * balancers see that and send nothing new, then Nest closes the server, which lets requests in flight finish.
 */
@Injectable()
export class Readiness implements BeforeApplicationShutdown {
  private readonly logger = new Logger(Readiness.name);
  private stopping = false;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<ReadinessReport> {
    const [database, redis] = await Promise.all([
      probe(async () => void (await sql`select 1`.execute(this.db)), true),
      probe(async () => void (await this.redis.ping()), this.role === 'worker'),
    ]);
    const failed = [database, redis].some((c) => c.required && c.status === 'down');
    return { status: this.stopping ? 'stopping' : failed ? 'error' : 'ok', checks: { database, redis } };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const grace = this.role === 'api' ? this.config.env.SHUTDOWN_GRACE_MS : 0;
    if (grace) {
      this.logger.log(`Stopping: not ready, still serving for ${grace} ms before closing`);
      await sleep(grace);
    }
  }
}

async function probe(run: () => Promise<void>, required: boolean): Promise<Check> {
  try {
    await withTimeout(run(), PROBE_TIMEOUT_MS);
    return { status: 'up', required };
  } catch (err) {
    return { status: 'down', message: (err as Error).message, required };
  }
}
