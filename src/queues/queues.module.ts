import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobQueue, REDIS } from './job-queue';
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

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
