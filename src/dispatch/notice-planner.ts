import { Inject, Injectable, Logger } from '@nestjs/common';
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
import { canReach, chooseMedium, mediaPreference } from './media-policy';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stops between pages when the worker shuts down; the recovery sweep of any worker resumes it from the cursor. */
  async plan(noticeId: string, ctx: Pick<JobContext, 'stopping'>): Promise<void> {
    const notice = await this.notices.find(noticeId);
    if (!notice || notice.state !== 'planning') return;
    if (notice.plan_cursor === null) await this.ledger.supersedeOlder(notice);
    else await this.recovery.requeuePending(notice.id);

    const preference = mediaPreference(notice.severity, notice.media);
    const cooldown = this.config.env.NOTICE_COOLDOWN;
    const coolingDown =
      notice.type !== 'resolved' && cooldown > 0 && (await this.ledger.incidentToldBefore(notice));
    const toldSince = coolingDown ? new Date(Date.now() - cooldown * 1000) : null;
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
      const rows = page.map((member) => planDelivery(member, preference, told));
      const planned = await this.ledger.recordPlannedPage(notice.id, rows, page[page.length - 1].customerId);
      if (!planned) return; // cancelled while planning
      await this.queue.addBulk(
        planned.pendingMedia.map((medium) => ({
          name: SEND_JOB_OF[medium],
          data: { noticeId: notice.id, batch: planned.batch },
        })),
      );
      if (ctx.stopping()) return;
    }
    await this.ledger.finishPlanning(notice.id);
    this.logger.log(`Notice ${notice.id} planned`);
    await this.completion.now(notice.id);
  }
}

function planDelivery(
  member: AudienceMember,
  preference: Medium[],
  told: Set<string> | null,
): PlannedDelivery {
  const medium = chooseMedium(member, preference);
  const customerId = member.customerId;
  if (!medium) {
    // In the audience through a medium this notice may not use: recorded, so the evidence shows why.
    const reachable: Medium = canReach(member, 'push') ? 'push' : 'sms';
    return { customerId, medium: reachable, state: 'skipped', reason: 'medium-not-allowed' };
  }
  if (told?.has(customerId)) return { customerId, medium, state: 'skipped', reason: 'cooldown' };
  return { customerId, medium, state: 'pending', reason: null };
}
