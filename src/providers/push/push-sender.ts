import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { BatchResponse } from 'firebase-admin/messaging';
import { maskToken } from '../../common/logging/mask';
import type { PushSettings } from '../provider-settings';
import { SendWindow } from './fcm-agent';
import { FirebaseMessaging, openFirebaseMessaging } from './firebase-messaging';
import { classifyPushError } from './push-errors';
import { PushFailure, PushMessage, PushResult, toFcmMessage } from './push-message';

export type { PushMessage, PushResult } from './push-message';

export const MAX_PUSH_BATCH = 500;
/** Requests failed at the deadline settle within microseconds; longer means a retry is asleep inside the SDK. */
const SETTLE_GRACE_MS = 250;
/** On shutdown, how long to let batches given up at their deadline finish (firebase-admin back-off is ≤ 4 s). */
const LATE_BATCH_WAIT_MS = 5_000;

/**
 * Sends push batches through firebase-admin with one bound per batch, so BullMQ owns the retry policy and a dead or
 * hanging FCM cannot stall a worker. firebase-admin has no public option for its own retries (503, ECONNRESET and
 * ETIMEDOUT up to 4 times with 0-4 s back-off or a Retry-After up to 60 s, 15 s per attempt), so the bound works
 * from outside: at `timeoutMs` the batch's SendWindow fails its in-flight requests with an error code the SDK does
 * not retry and refuses the retries still asleep when they wake; sendEach then settles with exact per-message
 * results, the cut-off ones `transient` (deadline-exceeded). If a message is still asleep in an SDK back-off
 * SETTLE_GRACE_MS later, or the transport bypasses the agent (real FCM over HTTP/2), the whole batch is reported
 * transient; whatever it delivers late is logged, and collapse keys make a re-sent notice replace the first.
 */
export class PushSender implements OnApplicationShutdown {
  private readonly logger = new Logger(PushSender.name);
  private readonly lateBatches = new Set<Promise<unknown>>();

  constructor(
    private readonly fcm: FirebaseMessaging,
    private readonly timeoutMs: number,
  ) {}

  static open(settings: PushSettings): PushSender {
    return new PushSender(openFirebaseMessaging(settings), settings.timeoutMs);
  }

  /** One sendEach of up to 500 messages; one result per message, in order. Never throws for provider failures. */
  async sendBatch(messages: readonly PushMessage[]): Promise<PushResult[]> {
    if (messages.length === 0) return [];
    if (messages.length > MAX_PUSH_BATCH) {
      throw new RangeError(`A push batch holds at most ${MAX_PUSH_BATCH} messages, got ${messages.length}`);
    }
    const window = new SendWindow();
    const sending = this.fcm.agent.within(window, () =>
      this.fcm.messaging.sendEach(messages.map(toFcmMessage)),
    );
    const settled = await settleBy(sending, this.timeoutMs, () => window.close());
    if (!settled) {
      this.watchLate(sending, messages.length);
      return messages.map(() => ({ ok: false, outcome: 'transient', code: 'deadline-exceeded' }));
    }
    if (settled.status === 'rejected') {
      const failure = classifyPushError(settled.reason, window.retryAfterMs);
      this.logger.warn(`push batch of ${messages.length} failed as a whole: ${failure.code}`);
      return messages.map(() => failure);
    }
    return this.resultsOf(settled.value, messages, window);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await settleBy(Promise.allSettled(this.lateBatches), LATE_BATCH_WAIT_MS, () => undefined);
    await this.fcm.close();
  }

  private resultsOf(
    batch: BatchResponse,
    messages: readonly PushMessage[],
    window: SendWindow,
  ): PushResult[] {
    return batch.responses.map((response, i) => {
      if (response.success) return { ok: true, messageId: response.messageId ?? '' };
      const failure: PushFailure = classifyPushError(response.error, window.retryAfterMs);
      this.logger.debug(`push to ${maskToken(messages[i].token)} failed: ${failure.outcome} ${failure.code}`);
      return failure;
    });
  }

  private watchLate(sending: Promise<BatchResponse>, size: number): void {
    this.logger.warn(`push batch of ${size} passed its ${this.timeoutMs} ms deadline; reported transient`);
    const late = sending
      .then((batch) => {
        if (batch.successCount > 0) {
          this.logger.warn(
            `${batch.successCount} of ${size} push messages reported transient were delivered late`,
          );
        }
      })
      .catch(() => undefined)
      .finally(() => this.lateBatches.delete(late));
    this.lateBatches.add(late);
  }
}

/** `work`'s outcome if it settles by `deadlineMs` (+ SETTLE_GRACE_MS after `onDeadline` ran), else null. */
function settleBy<T>(
  work: Promise<T>,
  deadlineMs: number,
  onDeadline: () => void,
): Promise<PromiseSettledResult<T> | null> {
  return new Promise((resolve) => {
    let grace: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      onDeadline();
      grace = setTimeout(() => resolve(null), SETTLE_GRACE_MS);
    }, deadlineMs);
    const finish = (outcome: PromiseSettledResult<T>) => {
      clearTimeout(deadline);
      clearTimeout(grace);
      resolve(outcome);
    };
    work.then(
      (value) => finish({ status: 'fulfilled', value }),
      (reason: unknown) => finish({ status: 'rejected', reason }),
    );
  });
}
