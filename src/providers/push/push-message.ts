import type { TokenMessage } from 'firebase-admin/messaging';

/** One notice for one device. `collapseKey` makes a later notice of the same incident replace this one. */
export interface PushMessage {
  token: string;
  title: string;
  body: string;
  collapseKey: string;
  data: Record<string, string>;
}

/**
 * `token-dead`: remove the device. `permanent`: this message can never succeed. `transient`: try again later.
 * `rate-limited`: FCM asked the whole sender to slow down for `retryAfterMs`.
 */
export type PushOutcome = 'token-dead' | 'permanent' | 'transient' | 'rate-limited';

export type PushFailure = { ok: false; outcome: PushOutcome; code: string; retryAfterMs?: number };
export type PushResult = { ok: true; messageId: string } | PushFailure;

export function toFcmMessage(message: PushMessage): TokenMessage {
  return {
    token: message.token,
    notification: { title: message.title, body: message.body },
    data: message.data,
    android: { collapseKey: message.collapseKey, priority: 'high' },
    apns: { headers: { 'apns-collapse-id': message.collapseKey } },
  };
}
