import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PushMessage, PushResult, PushSender } from '../providers/push/push-sender';
import { JobQueue } from '../queues/job-queue';
import type { JobContext } from '../queues/job-workers';
import { JobName } from '../queues/jobs';
import { SendRateLimiter } from '../queues/send-rate-limiter';
import { messagesTotal } from '../metrics/metrics';
import { BatchSettlement, Retryable } from './batch-settlement';
import { CustomersRepository } from '../directory/customers.repository';
import { BatchLedger, DeliveryOutcome, PushRecipient } from '../ledger/batches.ledger';
import { BatchOpening } from './batch-opening';

/** firebase-admin's sendEach takes at most 500 messages. */
const SEND_EACH_LIMIT = 500;

interface Addressed {
  customerId: string;
  message: PushMessage;
}

/** Sends one push batch: every pending recipient's devices, then records the outcome per recipient. */
@Injectable()
export class PushBatchSender {
  constructor(
    private readonly ledger: BatchLedger,
    private readonly opening: BatchOpening,
    private readonly customers: CustomersRepository,
    private readonly push: PushSender,
    private readonly rate: SendRateLimiter,
    private readonly settlement: BatchSettlement,
    private readonly queue: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(noticeId: string, batch: number, ctx: JobContext): Promise<void> {
    const opened = await this.opening.open(noticeId);
    if (!opened) return;
    const { notice, texts } = opened;
    const recipients = await this.ledger.pendingPush(noticeId, batch);
    const addressed: Addressed[] = recipients.flatMap((r) =>
      r.devices.map((device) => {
        const text = texts.for(r);
        const data = { incidentId: notice.incident_id, noticeId, type: notice.type };
        return {
          customerId: r.customerId,
          message: {
            token: device.token,
            title: text.title,
            body: text.body,
            collapseKey: notice.incident_id,
            data,
          },
        };
      }),
    );
    const results: PushResult[] = [];
    for (let i = 0; i < addressed.length; i += SEND_EACH_LIMIT) {
      const chunk = addressed.slice(i, i + SEND_EACH_LIMIT);
      await this.rate.acquire('push', chunk.length, this.config.env.PUSH_RATE_PER_SEC);
      results.push(...(await this.push.sendBatch(chunk.map((a) => a.message))));
    }
    const verdict = judge(recipients, addressed, results);
    await this.customers.removeDevices(noticeId, verdict.deadTokens);
    messagesTotal.inc({ medium: 'push', outcome: 'fallback' }, verdict.fallback.length);
    const key = { noticeId, medium: 'push' as const, batch };
    const smsBatch = await this.ledger.fallBackToSms(key, verdict.fallback);
    if (smsBatch !== null)
      await this.queue.add({ name: JobName.SendSmsBatch, data: { noticeId, batch: smsBatch } });
    await this.settlement.settle(this.settlement.outcomesOf(key), verdict.settled, verdict.retryable, ctx);
  }
}

interface Verdict {
  settled: DeliveryOutcome[];
  retryable: Retryable[];
  /** Customers with no live device left: they fall back to SMS. */
  fallback: string[];
  deadTokens: { token: string; code: string }[];
}

/** Per recipient: sent if any device took it; SMS fallback if every device is dead; else retry or fail. */
function judge(recipients: PushRecipient[], addressed: Addressed[], results: PushResult[]): Verdict {
  const byCustomer = new Map<string, { token: string; result: PushResult }[]>();
  addressed.forEach((a, i) => {
    const list = byCustomer.get(a.customerId) ?? [];
    list.push({ token: a.message.token, result: results[i] });
    byCustomer.set(a.customerId, list);
  });
  const verdict: Verdict = { settled: [], retryable: [], fallback: [], deadTokens: [] };
  for (const { customerId } of recipients) {
    const attempts = byCustomer.get(customerId) ?? [];
    for (const { token, result } of attempts)
      if (!result.ok && result.outcome === 'token-dead')
        verdict.deadTokens.push({ token, code: result.code });
    const delivered = attempts.find(({ result }) => result.ok);
    const failures = attempts.flatMap(({ result }) => (result.ok ? [] : [result]));
    if (delivered?.result.ok) {
      verdict.settled.push({
        customerId,
        state: 'sent',
        messageId: delivered.result.messageId,
        reason: null,
      });
    } else if (failures.every((f) => f.outcome === 'token-dead')) {
      verdict.fallback.push(customerId);
    } else {
      const retry =
        failures.find((f) => f.outcome === 'rate-limited') ?? failures.find((f) => f.outcome === 'transient');
      if (retry) verdict.retryable.push({ customerId, code: retry.code, retryAfterMs: retry.retryAfterMs });
      else {
        const permanent = failures.find((f) => f.outcome === 'permanent') ?? failures[0];
        verdict.settled.push({
          customerId,
          state: 'failed',
          reason: 'rejected',
          providerCode: permanent.code,
        });
      }
    }
  }
  return verdict;
}
