import { Inject, Injectable } from '@nestjs/common';
import { AudienceQuery } from '../audience/audience.query';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { NoticeRow } from '../database/schema';
import { AuditLog } from '../access/audit-log';
import { DB, Db } from '../database/database.module';
import { StatusPublisher } from '../status/status-publisher';
import { ApprovalsRepository } from './approvals.repository';

/**
 * The planner's side of four-eyes approval, between "audience frozen and counted" and "released to the senders":
 * a notice whose audience is within APPROVAL_THRESHOLD is released before planning, so its first batches send
 * while later pages are planned; a larger one is planned into the ledger with no batch queued, and waits.
 */
@Injectable()
export class ApprovalGate {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audience: AudienceQuery,
    private readonly approvals: ApprovalsRepository,
    private readonly audit: AuditLog,
    private readonly status: StatusPublisher,
  ) {}

  /** Whether the senders may have this notice's batches now; releases it when its audience is small enough. */
  async releases(notice: NoticeRow): Promise<boolean> {
    if (notice.released) return true;
    const threshold = this.config.env.APPROVAL_THRESHOLD;
    // Counting stops one past the threshold: a mass notice costs no full count before it is planned.
    const counted = await this.audience.countUpTo(notice.audience_spec, notice.incident_id, threshold + 1);
    if (counted > threshold) return false;
    await this.approvals.release(notice.id);
    // Released: its event may go public now; planning does not wait for the page.
    void this.status.request();
    return true;
  }

  /**
   * A newer notice of the incident supersedes the held ones before it: they leave the approval queue as rejected
   * (superseded), so nobody approves what the incident no longer says, and a `resolved` event for an incident
   * whose opening was never approved finds no one told before.
   */
  async supersedeHeld(notice: NoticeRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const held = await this.approvals.olderHeld(trx, notice);
      for (const id of await this.approvals.reject(trx, held, 'superseded', null)) {
        await this.audit.record(
          'system',
          { action: 'notice.supersede', target: id, detail: { by: notice.id } },
          trx,
        );
      }
    });
  }
}
