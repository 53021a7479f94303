import type { PushResult } from '../../src/providers/push/push-sender';
import type { SmsResult } from '../../src/providers/sms/sms-sender';

/** Aviso's SMS batches send 50 at a time with 50 in flight (SmsBatchSender's chunk); the others match it. */
export const SMS_IN_FLIGHT_PER_BATCH = 50;

/** What the ceiling and naive processes sent, per medium. A push recipient is sent when any device took it. */
export interface MediumTally {
  recipients: number;
  sent: number;
  failed: number;
  /** Provider requests: one per device for push, one per SMS. */
  messages: number;
}

export interface SendTally {
  push: MediumTally;
  sms: MediumTally;
}

export function emptyTally(): SendTally {
  const medium = () => ({ recipients: 0, sent: 0, failed: 0, messages: 0 });
  return { push: medium(), sms: medium() };
}

/** Counts one push recipient's results (one per device). */
export function tallyPush(tally: SendTally, results: PushResult[]): void {
  tally.push.recipients++;
  tally.push.messages += results.length;
  if (results.some((r) => r.ok)) tally.push.sent++;
  else tally.push.failed++;
}

export function tallySms(tally: SendTally, result: SmsResult): void {
  tally.sms.recipients++;
  tally.sms.messages++;
  if (result.ok) tally.sms.sent++;
  else tally.sms.failed++;
}

/**
 * Child processes report to the benchmark with JSON lines on stdout carrying `bench`; anything else there (an SDK's
 * or Nest's log line) is ignored.
 */
export function report(kind: string, fields: object): void {
  process.stdout.write(`${JSON.stringify({ bench: kind, at: Date.now(), ...fields })}\n`);
}

export interface ReportLine {
  bench: string;
  at: number;
  [field: string]: unknown;
}

export function parseReport(line: string): ReportLine | null {
  if (!line.startsWith('{"bench":')) return null;
  try {
    return JSON.parse(line) as ReportLine;
  } catch {
    return null;
  }
}
