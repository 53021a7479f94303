import { Injectable, Logger } from '@nestjs/common';
import { withTimeout } from '../common/with-timeout';
import { JobQueue } from '../queues/job-queue';
import { JobName } from '../queues/jobs';
import { NoticesRepository } from './notices.repository';

/** The queue client retries forever while Redis is away; an intake request must not wait for that. */
const ENQUEUE_TIMEOUT_MS = 2_000;
const REQUEUE_PAGE = 1_000;

/**
 * The notices table is the outbox: a notice is durable once its event commits, and the planning job is only a
 * wake-up call. Deterministic job ids make every enqueue idempotent, so re-sending is always safe.
 */
@Injectable()
export class NoticeOutbox {
  private readonly logger = new Logger(NoticeOutbox.name);

  constructor(
    private readonly notices: NoticesRepository,
    private readonly jobs: JobQueue,
  ) {}

  /** Best effort: false (and a warning) when Redis does not take the job; requeuePlanning() catches up later. */
  async enqueue(noticeId: string): Promise<boolean> {
    try {
      await withTimeout(this.jobs.add({ name: JobName.PlanNotice, data: { noticeId } }), ENQUEUE_TIMEOUT_MS);
      return true;
    } catch (err) {
      this.logger.warn(
        `Notice ${noticeId} is stored but its planning job was not queued (${(err as Error).message}); ` +
          'it will be re-queued by the planning sweep.',
      );
      return false;
    }
  }

  /** Queues PlanNotice for every notice still in planning; returns how many were offered to the queue. */
  async requeuePlanning(): Promise<number> {
    let offered = 0;
    let after: string | null = null;
    for (;;) {
      const ids = await this.notices.planningIds(after, REQUEUE_PAGE);
      if (!ids.length) return offered;
      await this.jobs.addBulk(ids.map((noticeId) => ({ name: JobName.PlanNotice, data: { noticeId } })));
      offered += ids.length;
      after = ids[ids.length - 1];
    }
  }
}
