import twilio from 'twilio';
import type { SmsFailure } from './sms-message';
import { TwilioThrottled } from './twilio-http-client';

/** Twilio rarely sends Retry-After on 429; without one, back off a second (its documented queueing step). */
const DEFAULT_SMS_RETRY_AFTER_MS = 1_000;

const UNSUBSCRIBED = 21610;
/** Twilio's code for a recipient who replied STOP, as recorded in the ledger and the audit log. */
export const UNSUBSCRIBED_CODE = String(UNSUBSCRIBED);
const TOO_MANY_REQUESTS = 20429;

/**
 * Maps what `messages.create` threw to what the dispatcher should do: 21610 (STOP) revokes consent; other 4xx
 * (21211 invalid To, 21614 not mobile, 21408/21612 region or route) are final for this message; 429 slows the
 * account down; 5xx and network failures or timeouts are transient. 401/403 are transient too: they mean our
 * credentials are wrong, which an operator fixes, not the recipient's number.
 */
export function classifySmsError(error: unknown): SmsFailure {
  if (error instanceof TwilioThrottled) {
    return rateLimited(error.code ?? TOO_MANY_REQUESTS, error.retryAfterMs);
  }
  if (error instanceof twilio.RestException) {
    const code = error.code ?? error.status;
    if (error.status === 429 || code === TOO_MANY_REQUESTS) return rateLimited(code, undefined);
    if (code === UNSUBSCRIBED) return { ok: false, outcome: 'unsubscribed', code: String(code) };
    if (error.status >= 500 || error.status === 401 || error.status === 403) {
      return { ok: false, outcome: 'transient', code: String(code) };
    }
    if (error.status >= 400) return { ok: false, outcome: 'permanent', code: String(code) };
  }
  const { code } = (error ?? {}) as { code?: unknown };
  return { ok: false, outcome: 'transient', code: typeof code === 'string' ? code : 'unknown' };
}

function rateLimited(code: number, retryAfterMs: number | undefined): SmsFailure {
  return {
    ok: false,
    outcome: 'rate-limited',
    code: String(code),
    retryAfterMs: retryAfterMs ?? DEFAULT_SMS_RETRY_AFTER_MS,
  };
}
