import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from './job-queue';
import { RedisClient } from './redis-connection';

/**
 * Reserves the next free slot of `cost` ms on a shared timeline and returns how long to wait for it.
 * Redis's own clock is used so that worker processes with skewed clocks still share one rate.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(tat, now)
redis.call('SET', KEYS[1], start + cost, 'PX', math.ceil(start + cost - now) + 1000)
return start - now
`;

/** A per-provider message rate that holds across every worker process (PUSH_RATE_PER_SEC, SMS_RATE_PER_SEC). */
@Injectable()
export class SendRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Waits until `messages` more may be sent at `perSecond` on `provider`'s shared budget. */
  async acquire(provider: 'push' | 'sms', messages: number, perSecond: number): Promise<void> {
    const cost = Math.ceil((messages * 1000) / perSecond);
    const key = `${this.config.env.QUEUE_PREFIX}:rate:${provider}`;
    const waitMs = Number(await this.redis.eval(RESERVE, 1, key, cost));
    if (waitMs > 0) await sleep(waitMs);
  }
}
