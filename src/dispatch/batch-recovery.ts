import { Injectable } from '@nestjs/common';
import { JobQueue } from '../queues/job-queue';
import { SEND_JOB_OF } from '../queues/jobs';
import { BatchKey, BatchLedger } from '../ledger/batches.ledger';

/**
 * Finds ledger rows that are pending but whose batch job is gone (a crash between a commit and an enqueue, or a
 * worker killed on a job's last attempt) and queues their batches again. Re-running a batch sends only rows that
 * are still pending, so this never resends.
 */
@Injectable()
export class BatchRecovery {
  constructor(
    private readonly ledger: BatchLedger,
    private readonly queue: JobQueue,
  ) {}

  requeuePending(noticeId: string): Promise<number> {
    return this.ensure(this.ledger.pendingBatches({ noticeId }));
  }

  requeueIdle(idleSeconds: number): Promise<number> {
    return this.ensure(this.ledger.pendingBatches({ idleSeconds }));
  }

  private async ensure(batches: Promise<BatchKey[]>): Promise<number> {
    const items = (await batches).map((b) => ({
      name: SEND_JOB_OF[b.medium],
      data: { noticeId: b.noticeId, batch: b.batch },
    }));
    return this.queue.ensure(items);
  }
}
