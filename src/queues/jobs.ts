import type { Medium } from '../database/schema';

export enum QueueName {
  Planning = 'planning',
  Push = 'push',
  Sms = 'sms',
}

export enum JobName {
  PlanNotice = 'plan-notice',
  SendPushBatch = 'send-push-batch',
  SendSmsBatch = 'send-sms-batch',
}

/** Payloads carry ids, never recipients' records: handlers re-read state, so a replayed job sees the truth. */
export type JobItem =
  | { name: JobName.PlanNotice; data: { noticeId: string } }
  | { name: JobName.SendPushBatch; data: { noticeId: string; batch: number } }
  | { name: JobName.SendSmsBatch; data: { noticeId: string; batch: number } };

export type JobOf<T extends JobName> = Extract<JobItem, { name: T }>['data'];

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.PlanNotice]: QueueName.Planning,
  [JobName.SendPushBatch]: QueueName.Push,
  [JobName.SendSmsBatch]: QueueName.Sms,
};

export const SEND_JOB_OF: Record<Medium, JobName.SendPushBatch | JobName.SendSmsBatch> = {
  push: JobName.SendPushBatch,
  sms: JobName.SendSmsBatch,
};

/**
 * Deterministic ids make enqueueing idempotent: re-running a planner re-adds the same ids, which BullMQ ignores
 * while the job exists. Every batch number is allocated once per notice, so an id never stands for two sets of rows.
 */
export function jobIdOf(item: JobItem): string {
  switch (item.name) {
    case JobName.PlanNotice:
      return `plan-${item.data.noticeId}`;
    case JobName.SendPushBatch:
      return `push-${item.data.noticeId}-${item.data.batch}`;
    case JobName.SendSmsBatch:
      return `sms-${item.data.noticeId}-${item.data.batch}`;
  }
}
