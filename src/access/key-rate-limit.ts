import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { BurstyRateLimiter, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { keyRateTotal } from '../metrics/metrics';
import { redisClient, RedisClient } from '../queues/redis-connection';

/** The burst (as many requests again as one second's rate) refills over this many seconds. */
const BURST_REFILL_SECONDS = 10;
/** A Redis slower than this counts as down: the request goes through rather than wait. */
const REDIS_TIMEOUT_MS = 250;

/**
 * API_RATE_PER_KEY requests per second per API key, with a burst of twice that, counted in Redis so that every API
 * process shares one budget per key (docs/decisions/006-rate-limits-per-key.md). When Redis cannot answer, requests
 * go through: intake must keep accepting events during a Redis outage.
 */
@Injectable()
export class KeyRateLimit implements OnApplicationShutdown {
  private readonly logger = new Logger(KeyRateLimit.name);
  private readonly redis?: RedisClient;
  private readonly limiter?: BurstyRateLimiter;
  private failingOpen = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const rate = config.env.API_RATE_PER_KEY;
    if (rate === 0) return;
    // Its own connection: no offline queue and a command timeout, so an outage fails at once instead of queuing.
    this.redis = redisClient(config.env, {
      enableOfflineQueue: false,
      commandTimeout: REDIS_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
    });
    // Every failed command is handled in waitFor; without a listener ioredis would also print each reconnect attempt.
    this.redis.on('error', () => undefined);
    const keyPrefix = `${config.env.QUEUE_PREFIX}:api-rate`;
    this.limiter = new BurstyRateLimiter(
      new RateLimiterRedis({ storeClient: this.redis, keyPrefix, points: rate, duration: 1 }),
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${keyPrefix}-burst`,
        points: rate,
        duration: BURST_REFILL_SECONDS,
      }),
    );
  }

  /** Seconds the key must wait before its next request, or 0 when this one may go ahead. */
  async waitFor(keyId: string): Promise<number> {
    if (!this.limiter) return 0;
    try {
      await this.limiter.consume(keyId);
      this.failingOpen = false;
      return 0;
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        keyRateTotal.inc({ result: 'limited' });
        return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      }
      keyRateTotal.inc({ result: 'redis-down' });
      if (!this.failingOpen)
        this.logger.warn(`Rate limits are off while Redis is unreachable: ${String(err)}`);
      this.failingOpen = true;
      return 0;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
