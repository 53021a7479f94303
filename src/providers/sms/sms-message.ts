/** One SMS. `statusCallback` is the public URL Twilio reports delivery to (sent, delivered, undelivered, failed). */
export interface SmsRequest {
  to: string;
  body: string;
  statusCallback?: string;
}

/**
 * `unsubscribed`: the recipient replied STOP (21610), revoke SMS consent. `permanent`: this number cannot get this
 * message. `transient`: try again later. `rate-limited`: Twilio asked the whole account to slow down.
 */
export type SmsOutcome = 'unsubscribed' | 'permanent' | 'transient' | 'rate-limited';

export type SmsFailure = { ok: false; outcome: SmsOutcome; code: string; retryAfterMs?: number };
export type SmsResult = { ok: true; sid: string; segments: number } | SmsFailure;
