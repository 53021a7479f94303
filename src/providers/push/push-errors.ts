import type { PushFailure } from './push-message';
import { DEADLINE_ERROR_CODE } from './fcm-agent';

/**
 * FCM's Retry-After reaches us only through the agent (HTTP/1.1); over HTTP/2 firebase-admin drops it. For
 * QUOTA_EXCEEDED, FCM's ErrorCode reference asks for back-off with a minimum initial delay of one minute.
 */
const DEFAULT_PUSH_RETRY_AFTER_MS = 60_000;

const TOKEN_DEAD = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
]);
const RATE_LIMITED = new Set(['messaging/message-rate-exceeded', 'messaging/topics-message-rate-exceeded']);
const PERMANENT = new Set([
  'messaging/invalid-argument',
  'messaging/mismatched-credential',
  'messaging/invalid-recipient',
  'messaging/invalid-payload',
  'messaging/invalid-data-payload-key',
  'messaging/payload-size-limit-exceeded',
  'messaging/invalid-options',
  'messaging/invalid-package-name',
]);

/**
 * Maps a firebase-admin error for one message to what the dispatcher should do. Anything not known to be final is
 * transient (server-unavailable, internal-error, unknown-error, network errors and timeouts, third-party-auth-error,
 * credential fetch failures, device-message-rate-exceeded): retrying costs an attempt, misjudging it loses a notice.
 */
export function classifyPushError(error: unknown, retryAfterMs: number | undefined): PushFailure {
  const { code = 'unknown', message = '' } = (error ?? {}) as { code?: string; message?: string };
  if (TOKEN_DEAD.has(code)) return { ok: false, outcome: 'token-dead', code };
  // FCM answers a malformed token with a plain INVALID_ARGUMENT; only its message says the token is at fault.
  if (code === 'messaging/invalid-argument' && /registration token/i.test(message)) {
    return { ok: false, outcome: 'token-dead', code };
  }
  if (PERMANENT.has(code)) return { ok: false, outcome: 'permanent', code };
  if (RATE_LIMITED.has(code)) {
    return {
      ok: false,
      outcome: 'rate-limited',
      code,
      retryAfterMs: retryAfterMs ?? DEFAULT_PUSH_RETRY_AFTER_MS,
    };
  }
  if (message.includes(DEADLINE_ERROR_CODE))
    return { ok: false, outcome: 'transient', code: 'deadline-exceeded' };
  return { ok: false, outcome: 'transient', code };
}
