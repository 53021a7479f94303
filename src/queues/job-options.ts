import type { JobsOptions } from 'bullmq';
import { JobName } from './jobs';

/**
 * Retry and retention policy, in one place. Transient failures are retried with jittered exponential backoff;
 * failed jobs are kept for inspection, completed ones trimmed so Redis memory stays flat.
 */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.PlanNotice]: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [JobName.SendPushBatch]: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: { count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [JobName.SendSmsBatch]: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: { count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
};
