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

/** A batch's outcomes as they reach the ledger: a sender may record some before the batch ends, each counted once. */
export class BatchOutcomes {
  /** Recipients recorded so far, by outcome (`retrying` for those left pending). */
  readonly tally: Record<string, number> = {};

  constructor(
    readonly key: BatchKey,
    private readonly ledger: BatchLedger,
  ) {}

  async record(outcomes: DeliveryOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await this.ledger.recordOutcomes(this.key, outcomes);
    const counted: Record<string, number> = {};
    for (const o of outcomes) {
      const outcome = o.state === 'pending' ? 'retrying' : o.state;
      counted[outcome] = (counted[outcome] ?? 0) + 1;
    }
    for (const [outcome, count] of Object.entries(counted)) {
      messagesTotal.inc({ medium: this.key.medium, outcome }, count);
      this.tally[outcome] = (this.tally[outcome] ?? 0) + count;
    }
  }
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

  outcomesOf(key: BatchKey): BatchOutcomes {
    return new BatchOutcomes(key, this.ledger);
  }

  /** Records the batch's last outcomes (`settled`, and `retryable` still pending or, at the end, failed). */
  async settle(
    outcomes: BatchOutcomes,
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
    const { noticeId, medium } = outcomes.key;
    await outcomes.record([...settled, ...stillOpen]);
    if (Object.keys(outcomes.tally).length)
      this.logger.log(`Notice ${noticeId}: ${medium} batch ${JSON.stringify(outcomes.tally)}`);
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
