import { Inject, Injectable } from '@nestjs/common';
import { ApiCaller } from '../access/caller';
import { AuditLog } from '../access/audit-log';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { DB, Db } from '../database/database.module';
import { JobQueue } from '../queues/job-queue';
import { SEND_JOB_OF } from '../queues/jobs';
import { BATCH_SIZE } from '../ledger/batch-size';
import { NoticeControlLedger } from '../ledger/notice-controls.ledger';
import { StatusPublisher } from '../status/status-publisher';
import { NoticesRepository } from './notices.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Failures worth another try: the provider never took the message, or the carrier could not reach the phone. */
const RETRYABLE_REASONS = ['retries-exhausted', 'undelivered'];

export interface CancelResult {
  id: string;
  state: 'cancelled';
  skipped: number;
}

export interface RetryResult {
  id: string;
  requeued: number;
}

/** Incident managers' controls over a notice in flight. */
@Injectable()
export class NoticeControl {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly ledger: NoticeControlLedger,
    private readonly notices: NoticesRepository,
    private readonly queue: JobQueue,
    private readonly audit: AuditLog,
    private readonly status: StatusPublisher,
  ) {}

  /** Stops further sends: pending recipients are skipped at once; batches in flight see the state and stop. */
  async cancel(id: string, caller: ApiCaller): Promise<CancelResult> {
    this.checkId(id);
    const skipped = await this.db.transaction().execute(async (trx) => {
      const count = await this.ledger.cancel(trx, id);
      if (count !== null) await this.audit.record(caller, { action: 'notice.cancel', target: id }, trx);
      return count;
    });
    if (skipped === null)
      return this.refuse(id, 'only a notice that is planning, awaiting approval or sending can be cancelled');
    // A cancelled notice is withdrawn from the status page too (docs/operations.md#public-status-page).
    void this.status.request();
    return { id, state: 'cancelled', skipped };
  }

  /** Puts recipients that failed for a passing reason back in new batches; permanent failures stay failed. */
  async retryFailed(id: string, caller: ApiCaller): Promise<RetryResult> {
    this.checkId(id);
    const batches = await this.db.transaction().execute(async (trx) => {
      const moved = await this.ledger.requeueFailed(trx, id, RETRYABLE_REASONS, BATCH_SIZE);
      const requeued = moved?.reduce((n, b) => n + b.count, 0) ?? 0;
      if (moved)
        await this.audit.record(
          caller,
          { action: 'notice.retry-failed', target: id, detail: { requeued } },
          trx,
        );
      return moved;
    });
    if (!batches)
      return this.refuse(id, 'only a notice that is sending or done can retry its failed recipients');
    await this.queue.addBulk(
      batches.map((b) => ({ name: SEND_JOB_OF[b.medium], data: { noticeId: id, batch: b.batch } })),
    );
    return { id, requeued: batches.reduce((n, b) => n + b.count, 0) };
  }

  private checkId(id: string): void {
    if (!UUID.test(id)) throw DomainError.notFound('Notice', id);
  }

  private async refuse(id: string, why: string): Promise<never> {
    const exists = await this.notices.find(id);
    if (!exists) throw DomainError.notFound('Notice', id);
    throw new DomainError(ErrorCode.InvalidState, `Notice ${id} is ${exists.state}: ${why}.`);
  }
}
