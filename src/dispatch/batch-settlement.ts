import { Injectable, Logger } from '@nestjs/common';
import { messagesTotal } from '../metrics/metrics';
import type { JobContext } from '../queues/job-workers';
import { BatchKey, BatchLedger, DeliveryOutcome } from '../ledger/batches.ledger';
import { NoticeCompletion } from './notice-completion';

/** A recipient the provider did not take this time, and may take on a later attempt. */
export interface Retryable {
  customerId: string;
  code: string;
  /** Set when the provider asked us to slow down. */
  retryAfterMs?: number;
}

/**
 * The retry policy of every batch, for both media: settled recipients are recorded; retryable ones stay pending
 * and the job is retried (only they are sent again); a provider's 429 pauses the queue instead of spending an
 * attempt; on the last attempt the remaining ones are failed with their reason.
 */
@Injectable()
export class BatchSettlement {
  private readonly logger = new Logger(BatchSettlement.name);

  constructor(
    private readonly ledger: BatchLedger,
    private readonly completion: NoticeCompletion,
  ) {}

  async settle(
    batch: BatchKey,
    settled: DeliveryOutcome[],
    retryable: Retryable[],
    ctx: JobContext,
  ): Promise<void> {
    const pauseMs = Math.max(0, ...retryable.map((r) => r.retryAfterMs ?? 0));
    const giveUp = ctx.isFinalAttempt && pauseMs === 0;
    const stillOpen: DeliveryOutcome[] = retryable.map((r) => ({
      customerId: r.customerId,
      state: giveUp ? 'failed' : 'pending',
      reason: giveUp ? 'retries-exhausted' : 'retrying',
      providerCode: r.code,
    }));
    const outcomes = [...settled, ...stillOpen];
    const { noticeId, medium } = batch;
    await this.ledger.recordOutcomes(batch, outcomes);
    const tally: Record<string, number> = {};
    for (const o of outcomes) {
      const outcome = o.state === 'pending' ? 'retrying' : o.state;
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
    for (const [outcome, count] of Object.entries(tally)) messagesTotal.inc({ medium, outcome }, count);
    if (outcomes.length) this.logger.log(`Notice ${noticeId}: ${medium} batch ${JSON.stringify(tally)}`);
    if (retryable.length && !giveUp) {
      if (pauseMs > 0) await ctx.rateLimited(pauseMs);
      const codes = [...new Set(retryable.map((r) => r.code))].join(', ');
      throw new Error(
        `${retryable.length} recipients hit transient provider errors (${codes}); retrying them`,
      );
    }
    this.completion.request(noticeId);
  }
}
