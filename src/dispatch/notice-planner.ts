import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApprovalGate } from '../approvals/approval-gate';
import { AudienceMember, AudienceQuery } from '../audience/audience.query';
import { prefetched } from '../common/prefetch';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { Medium } from '../database/schema';
import { JobQueue } from '../queues/job-queue';
import type { JobContext } from '../queues/job-workers';
import { SEND_JOB_OF } from '../queues/jobs';
import { BATCH_SIZE } from '../ledger/batch-size';
import { PlannedDelivery, PlanningLedger } from '../ledger/planning.ledger';
import { NoticesRepository } from '../notices/notices.repository';
import { BatchRecovery } from './batch-recovery';
import { canReach, chooseMedia, MediaPolicy, mediaPolicy } from './media-policy';
import { quietUntil } from './quiet-hours';
import { quietWindowFor } from '../config/quiet-window';
import { NoticeCompletion } from './notice-completion';

/**
 * Turns a notice into ledger rows and batch jobs, page by page, so the first batch is sending while later pages
 * are still being planned. Safe to re-run after a crash: it resumes behind the last page it committed.
 */
@Injectable()
export class NoticePlanner {
  private readonly logger = new Logger(NoticePlanner.name);

  constructor(
    private readonly ledger: PlanningLedger,
    private readonly notices: NoticesRepository,
    private readonly audience: AudienceQuery,
    private readonly queue: JobQueue,
    private readonly recovery: BatchRecovery,
    private readonly completion: NoticeCompletion,
    private readonly gate: ApprovalGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stops between pages when the worker shuts down; the recovery sweep of any worker resumes it from the cursor. */
  async plan(noticeId: string, ctx: Pick<JobContext, 'stopping'>): Promise<void> {
    const notice = await this.notices.find(noticeId);
    if (!notice || notice.state !== 'planning') return;
    if (notice.plan_cursor === null) {
      await this.ledger.supersedeOlder(notice);
      await this.gate.supersedeHeld(notice);
    } else await this.recovery.requeuePending(notice.id);
    // Held: planned into the ledger like any notice, with no batch queued until someone approves it.
    const released = await this.gate.releases(notice);

    const policy = mediaPolicy(notice.severity, notice.media);
    const cooldown = this.config.env.NOTICE_COOLDOWN;
    const coolingDown =
      (notice.type === 'opened' || notice.type === 'updated') &&
      cooldown > 0 &&
      (await this.ledger.incidentToldBefore(notice));
    const toldSince = coolingDown ? new Date(Date.now() - cooldown * 1000) : null;
    const quiet = quietWindowFor(this.config.env, notice.severity);
    const pages = this.audience.pages(
      notice.audience_spec,
      notice.incident_id,
      BATCH_SIZE,
      notice.plan_cursor,
    );
    for await (const page of prefetched(pages)) {
      const told = toldSince
        ? await this.ledger.recentlyTold(
            notice,
            page.map((m) => m.customerId),
            toldSince,
          )
        : null;
      const now = new Date();
      const rows = page.flatMap((member) =>
        planDeliveries(member, policy, told, quiet && quietUntil(now, member.timeZone, quiet)),
      );
      const planned = await this.ledger.recordPlannedPage(notice.id, rows, {
        customers: page.length,
        cursor: page[page.length - 1].customerId,
      });
      if (!planned) return; // cancelled or rejected while planning
      // Held for approval: the rows are written, the jobs wait for the release (which re-queues what is due).
      if (released)
        for (const { batch, media, sendAfter } of planned) {
          const jobs = media.map((medium) => ({
            name: SEND_JOB_OF[medium],
            data: { noticeId: notice.id, batch },
          }));
          await this.queue.addBulk(jobs, sendAfter ? sendAfter.getTime() - Date.now() : 0);
        }
      if (ctx.stopping()) return;
    }
    await this.ledger.finishPlanning(notice.id, released ? 'sending' : 'awaiting-approval');
    this.logger.log(`Notice ${notice.id} planned${released ? '' : ', awaiting approval'}`);
    if (released) await this.completion.now(notice.id);
  }
}

/** One ledger row per medium the member gets; a member reached by none is recorded skipped, so the evidence shows why. */
function planDeliveries(
  member: AudienceMember,
  policy: MediaPolicy,
  told: Set<string> | null,
  heldUntil: Date | null,
): PlannedDelivery[] {
  const customerId = member.customerId;
  const media = chooseMedia(member, policy);
  if (!media.length) {
    const reachable: Medium = canReach(member, 'push') ? 'push' : 'sms';
    return [
      { customerId, medium: reachable, state: 'skipped', reason: 'medium-not-allowed', sendAfter: null },
    ];
  }
  const cooling = told?.has(customerId) ?? false;
  return media.map((medium) =>
    cooling
      ? { customerId, medium, state: 'skipped', reason: 'cooldown', sendAfter: null }
      : {
          customerId,
          medium,
          state: 'pending',
          reason: heldUntil ? 'quiet-hours' : null,
          sendAfter: heldUntil,
        },
  );
}
