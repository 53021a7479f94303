import type { JobsOptions } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import type { NoticeReader } from '../../src/content/notice-parts';

/** The naive design's queues: one job per recipient, each carrying what its single send needs. */
export const NAIVE_PUSH_QUEUE = 'naive-push';
export const NAIVE_SMS_QUEUE = 'naive-sms';

export interface NaivePushJob {
  customerId: string;
  reader: NoticeReader;
  tokens: string[];
}

export interface NaiveSmsJob {
  customerId: string;
  reader: NoticeReader;
  phone: string;
}

/** What a typical service sets: a few retries with back-off, completed jobs removed, some failures kept. */
export const NAIVE_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: 1_000,
};

export function naivePrefix(): string {
  const prefix = process.env.BENCH_NAIVE_PREFIX;
  if (!prefix) throw new Error('BENCH_NAIVE_PREFIX is required');
  return prefix;
}

export function naiveRedis(): Redis {
  return new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
}
