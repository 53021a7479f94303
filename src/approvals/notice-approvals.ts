import { Inject, Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { actorOf, ApiCaller } from '../access/caller';
import { AuditLog } from '../access/audit-log';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DB, Db } from '../database/database.module';
import type { NoticeRow } from '../database/schema';
import { BatchLedger } from '../ledger/batches.ledger';
import { JobQueue } from '../queues/job-queue';
import { SEND_JOB_OF } from '../queues/jobs';
import { StatusPublisher } from '../status/status-publisher';
import { ApprovalsRepository } from './approvals.repository';

export interface DecisionResult {
  id: string;
  state: 'sending' | 'rejected';
  decidedBy: string;
}

/** A second person's decision on a held notice, and the expiry of notices nobody decided on. */
@Injectable()
export class NoticeApprovals {
  private readonly logger = new Logger(NoticeApprovals.name);

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly approvals: ApprovalsRepository,
    private readonly ledger: BatchLedger,
    private readonly queue: JobQueue,
    private readonly audit: AuditLog,
    private readonly status: StatusPublisher,
  ) {}

  /** Releases the notice to the senders; whoever submitted its event may not, whatever their scopes. */
  async approve(id: string, caller: ApiCaller): Promise<DecisionResult> {
    const approver = actorOf(caller);
    await this.db.transaction().execute(async (trx) => {
      const notice = await this.waiting(trx, id);
      if (notice.submitted_by === approver) {
        throw new DomainError(
          ErrorCode.Forbidden,
          `Notice ${id} was submitted by ${approver}; a second person must approve it.`,
        );
      }
      await this.approvals.approve(trx, id, approver);
      await this.audit.record(
        caller,
        {
          action: 'notice.approve',
          target: id,
          detail: { submittedBy: notice.submitted_by, approvedBy: approver, audience: notice.audience_total },
        },
        trx,
      );
    });
    await this.queueBatches(id);
    void this.status.request();
    return { id, state: 'sending', decidedBy: approver };
  }

  /** Drops the notice: nobody hears it. Its submitter may withdraw it too. */
  async reject(id: string, caller: ApiCaller): Promise<DecisionResult> {
    const rejecter = actorOf(caller);
    await this.db.transaction().execute(async (trx) => {
      const notice = await this.waiting(trx, id);
      await this.approvals.reject(trx, [id], 'rejected', rejecter);
      await this.audit.record(
        caller,
        {
          action: 'notice.reject',
          target: id,
          detail: { submittedBy: notice.submitted_by, rejectedBy: rejecter, audience: notice.audience_total },
        },
        trx,
      );
    });
    void this.status.request();
    return { id, state: 'rejected', decidedBy: rejecter };
  }

  /** Rejects as expired every notice that waited longer than APPROVAL_TTL; the worker's sweep runs it. */
  async expireOverdue(): Promise<number> {
    const expired = await this.db.transaction().execute(async (trx) => {
      const overdue = await this.approvals.overdue(trx, this.config.env.APPROVAL_TTL);
      const ids = await this.approvals.reject(trx, overdue, 'expired', null);
      for (const id of ids) {
        await this.audit.record(
          'system',
          { action: 'notice.expire', target: id, detail: { ttlSeconds: this.config.env.APPROVAL_TTL } },
          trx,
        );
      }
      return ids;
    });
    if (expired.length) {
      this.logger.warn(`Notices expired unapproved: ${expired.join(', ')}`);
      void this.status.request();
    }
    return expired.length;
  }

  private async waiting(trx: Db, id: string): Promise<NoticeRow> {
    const notice = isUUID(id) ? await this.approvals.lockForDecision(trx, id) : undefined;
    if (!notice) throw DomainError.notFound('Notice', id);
    if (notice.state !== 'awaiting-approval') {
      throw new DomainError(
        ErrorCode.InvalidState,
        `Notice ${id} is ${notice.rejection ? `rejected (${notice.rejection})` : notice.state}: only a notice awaiting approval can be approved or rejected.`,
      );
    }
    return notice;
  }

  /** Best effort after commit: batches whose job is not queued now are queued by the worker's recovery sweep. */
  private async queueBatches(id: string): Promise<void> {
    try {
      const batches = await this.ledger.pendingBatches({ noticeId: id });
      await this.queue.addBulk(
        batches.map((b) => ({ name: SEND_JOB_OF[b.medium], data: { noticeId: id, batch: b.batch } })),
      );
    } catch (err) {
      this.logger.warn(
        `Notice ${id} is approved but its batches were not queued (${(err as Error).message}); ` +
          'the recovery sweep will queue them.',
      );
    }
  }
}
