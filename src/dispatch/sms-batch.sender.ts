import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UNSUBSCRIBED_CODE } from '../providers/sms/sms-errors';
import { SmsResult, SmsSender } from '../providers/sms/sms-sender';
import { statusCallbackUrl } from '../providers/sms/status-callback';
import type { JobContext } from '../queues/job-workers';
import { SendRateLimiter } from '../queues/send-rate-limiter';
import { BatchSettlement, Retryable } from './batch-settlement';
import { CustomersRepository } from '../directory/customers.repository';
import { BatchLedger, DeliveryOutcome, SmsRecipient } from '../ledger/batches.ledger';
import { BatchOpening } from './batch-opening';
import type { NoticeRow } from '../database/schema';

/**
 * Messages sent between two looks at the notice's state, so a cancel stops an SMS batch within seconds, and
 * recorded together while the next ones go.
 */
const CHUNK = 50;

/**
 * Sends one SMS batch with bounded concurrency and records the outcome per recipient, chunk by chunk: a carrier's
 * report on a message then usually finds its row already `sent` (instead of waiting in carrier_reports), and a worker
 * killed mid-batch sends again at most the chunks not yet recorded.
 */
@Injectable()
export class SmsBatchSender {
  constructor(
    private readonly ledger: BatchLedger,
    private readonly opening: BatchOpening,
    private readonly customers: CustomersRepository,
    private readonly sms: SmsSender,
    private readonly rate: SendRateLimiter,
    private readonly settlement: BatchSettlement,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(noticeId: string, batch: number, ctx: JobContext): Promise<void> {
    const opened = await this.opening.open(noticeId);
    if (!opened) return;
    const { notice, texts } = opened;
    const recipients = await this.ledger.pendingSms(noticeId, batch);
    const settled: DeliveryOutcome[] = [];
    const retryable: Retryable[] = [];
    const unsubscribed: string[] = [];
    const capped = await this.capped(notice, recipients);
    const sendable = recipients.filter((r) => {
      if (capped.has(r.customerId)) {
        settled.push({ customerId: r.customerId, state: 'skipped', reason: 'sms-cap' });
        return false;
      }
      if (r.phone && r.consentSms) return true;
      settled.push({ customerId: r.customerId, state: 'failed', reason: 'sms-consent-or-phone-withdrawn' });
      return false;
    });
    const statusCallback = statusCallbackUrl(this.config.env.PUBLIC_BASE_URL);
    const outcomes = this.settlement.outcomesOf({ noticeId, medium: 'sms', batch });
    let recording: Promise<void> = Promise.resolve();
    for (let i = 0; i < sendable.length; i += CHUNK) {
      if (i > 0 && (await this.opening.cancelled(noticeId))) break;
      const chunk = sendable.slice(i, i + CHUNK);
      await this.rate.acquire('sms', chunk.length, this.config.env.SMS_RATE_PER_SEC);
      const items = chunk.map((r) => ({
        to: r.phone as string,
        body: texts.for(r).sms.text,
        statusCallback,
      }));
      const results = await this.sms.sendBatch(items, CHUNK);
      chunk.forEach((r, j) => classify(r, results[j], settled, retryable, unsubscribed));
      // One chunk's record in flight at a time; its failure surfaces at the next await and fails the job.
      await recording;
      recording = outcomes.record(settled.splice(0));
      recording.catch(() => undefined);
      if (retryable.some((r) => r.retryAfterMs)) break; // the provider asked us to slow down: leave the rest pending
    }
    await recording;
    await this.customers.revokeSmsConsent(noticeId, unsubscribed, UNSUBSCRIBED_CODE);
    await this.settlement.settle(outcomes, settled, retryable, ctx);
  }

  /**
   * Recipients who already got SMS_DAILY_CAP SMS in 24 h. Checked as the SMS goes, not when it is planned, so
   * held, superseded and cancelled SMS never count; critical notices are exempt.
   */
  private capped(notice: NoticeRow, recipients: SmsRecipient[]): Promise<Set<string>> {
    const cap = this.config.env.SMS_DAILY_CAP;
    if (cap === 0 || notice.severity === 'critical') return Promise.resolve(new Set());
    return this.ledger.smsCapReached(
      notice.id,
      recipients.map((r) => r.customerId),
      cap,
    );
  }
}

function classify(
  r: SmsRecipient,
  result: SmsResult,
  settled: DeliveryOutcome[],
  retryable: Retryable[],
  unsubscribed: string[],
): void {
  const customerId = r.customerId;
  if (result.ok) {
    settled.push({
      customerId,
      state: 'sent',
      messageId: result.sid,
      segments: result.segments,
      reason: null,
    });
  } else if (result.outcome === 'transient' || result.outcome === 'rate-limited') {
    retryable.push({ customerId, code: result.code, retryAfterMs: result.retryAfterMs });
  } else {
    if (result.outcome === 'unsubscribed') unsubscribed.push(customerId);
    settled.push({ customerId, state: 'failed', reason: result.outcome, providerCode: result.code });
  }
}
