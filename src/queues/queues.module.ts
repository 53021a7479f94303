import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { withTimeout } from '../common/with-timeout';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobQueue, REDIS, SHUTDOWN_WAIT_MS } from './job-queue';
import { JobWorkers } from './job-workers';
import { connectRedis, RedisClient } from './redis-connection';
import { SendRateLimiter } from './send-rate-limiter';

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => connectRedis(config.env),
    },
    JobQueue,
    JobWorkers,
    SendRateLimiter,
  ],
  exports: [REDIS, JobQueue, JobWorkers, SendRateLimiter],
})
export class QueuesModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  /** QUIT waits in the offline queue while Redis is away; a process that is stopping does not wait for it. */
  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.redis.quit(), SHUTDOWN_WAIT_MS).catch(() => this.redis.disconnect());
  }
}
