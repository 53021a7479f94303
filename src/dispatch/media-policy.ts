import type { Medium, Severity } from '../database/schema';

/** What the planner knows of a recipient when it picks media. */
export interface Reachability {
  phone: string | null;
  consentPush: boolean;
  consentSms: boolean;
  hasDevice: boolean;
}

/** The media a notice may use, and whether a recipient gets all of them they can be reached on or only the first. */
export interface MediaPolicy {
  media: Medium[];
  every: boolean;
}

/**
 * Critical incidents go by every medium a customer can be reached on: the failing channel is often the app itself,
 * so push alone may not be seen, and SMS alone says nothing to a customer whose phone number is stale. Other
 * severities go by the first reachable medium, push before SMS. An event's own `media` list narrows either.
 */
export function mediaPolicy(
  severity: Severity,
  requested: readonly string[] | null | undefined,
): MediaPolicy {
  const media: Medium[] = requested?.length
    ? requested.filter((m): m is Medium => m === 'push' || m === 'sms')
    : ['push', 'sms'];
  return { media, every: severity === 'critical' };
}

export function canReach(who: Reachability, medium: Medium): boolean {
  return medium === 'push' ? who.consentPush && who.hasDevice : who.consentSms && who.phone !== null;
}

/** The media this recipient gets under the policy; empty when none of them reaches the recipient. */
export function chooseMedia(who: Reachability, policy: MediaPolicy): Medium[] {
  const reachable = policy.media.filter((medium) => canReach(who, medium));
  return policy.every ? reachable : reachable.slice(0, 1);
}
