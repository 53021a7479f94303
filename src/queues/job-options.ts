import type { JobsOptions } from 'bullmq';
import type { Env } from '../config/config.schema';
import { JobName } from './jobs';

/**
 * Retry and retention policy, in one place. Transient failures are retried with jittered exponential backoff;
 * failed jobs are kept for inspection. Completed batch jobs are removed at once: Redis memory stays flat, and a
 * recovery sweep may re-add a batch id (the handler only sends rows still pending, so a re-run resends nothing).
 */
/** Retention: failed jobs stay a week for inspection; completed ones go at once. */
const RETENTION: JobsOptions = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } };

export function jobOptions(
  env: Pick<Env, 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS'>,
): Record<JobName, JobsOptions> {
  const sendBatch: JobsOptions = {
    ...RETENTION,
    attempts: env.SEND_ATTEMPTS,
    backoff: { type: 'exponential', delay: env.SEND_BACKOFF_MS, jitter: 0.5 },
  };
  return {
    [JobName.PlanNotice]: {
      ...RETENTION,
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
    },
    [JobName.SendPushBatch]: sendBatch,
    [JobName.SendSmsBatch]: sendBatch,
  };
}
