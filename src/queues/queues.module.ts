import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobQueue, REDIS } from './job-queue';
import { JobWorkers } from './job-workers';
import { connectRedis } from './redis-connection';
import { SendRateLimiter } from './send-rate-limiter';

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => connectRedis(config.env.REDIS_URL),
    },
    JobQueue,
    JobWorkers,
    SendRateLimiter,
  ],
  exports: [REDIS, JobQueue, JobWorkers, SendRateLimiter],
})
export class QueuesModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
