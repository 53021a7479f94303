import type { JobsOptions } from 'bullmq';
import { JobName } from './jobs';

/**
 * Retry and retention policy, in one place. Transient failures are retried with jittered exponential backoff;
 * failed jobs are kept for inspection. Completed batch jobs are removed at once: Redis memory stays flat, and a
 * recovery sweep may re-add a batch id (the handler only sends rows still pending, so a re-run resends nothing).
 */
const SEND_BATCH: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.PlanNotice]: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [JobName.SendPushBatch]: SEND_BATCH,
  [JobName.SendSmsBatch]: SEND_BATCH,
};
