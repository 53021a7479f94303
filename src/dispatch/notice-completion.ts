import { Injectable, Logger } from '@nestjs/common';
import { BatchLedger } from '../ledger/batches.ledger';

/** How long a batch's request for a completion check may wait, so that one check serves many batches. */
const COMPLETION_CHECK_DELAY_MS = 1000;

/**
 * Marks notices done once nobody is left pending. The check reads the notice's pending rows, which at a million
 * deliveries costs tens of milliseconds, so batches do not run it themselves: the first batch to ask in a window
 * schedules one check at the window's end, and later ones join it. A check lost with a killed worker is made by the
 * recovery sweep, which looks at every notice still sending.
 */
@Injectable()
export class NoticeCompletion {
  private readonly logger = new Logger(NoticeCompletion.name);
  private readonly scheduled = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ledger: BatchLedger) {}

  request(noticeId: string): void {
    if (this.scheduled.has(noticeId)) return;
    const timer = setTimeout(() => void this.check(noticeId), COMPLETION_CHECK_DELAY_MS);
    timer.unref();
    this.scheduled.set(noticeId, timer);
  }

  /** Runs the checks still waiting; the worker calls it on shutdown once its last batches are recorded. */
  async flush(): Promise<void> {
    const ids = [...this.scheduled.keys()];
    for (const id of ids) clearTimeout(this.scheduled.get(id));
    await Promise.all(ids.map((id) => this.check(id)));
  }

  /** Checks at once, for the planner: when planning ends, every batch may already be recorded. */
  async now(noticeId: string): Promise<void> {
    await this.complete(noticeId);
  }

  /** Completes every notice still sending with nobody pending. */
  async sweep(): Promise<void> {
    await this.complete();
  }

  private async check(noticeId: string): Promise<void> {
    this.scheduled.delete(noticeId);
    try {
      await this.complete(noticeId);
    } catch (err) {
      // The recovery sweep completes the notice later; nothing is lost by waiting for it.
      this.logger.warn(`Completion check of notice ${noticeId} failed: ${(err as Error).message}`);
    }
  }

  private async complete(noticeId?: string): Promise<void> {
    for (const id of await this.ledger.completeDrained(noticeId)) this.logger.log(`Notice ${id} done`);
  }
}
