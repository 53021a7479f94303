import type { Medium, Severity } from '../database/schema';

/** What the planner knows of a recipient when it picks a medium. */
export interface Reachability {
  phone: string | null;
  consentPush: boolean;
  consentSms: boolean;
  hasDevice: boolean;
}

/**
 * Media in order of preference. The ledger holds one delivery per customer per notice, so a customer gets the
 * first medium of this list they can be reached on. Critical incidents prefer SMS: the failing channel is often
 * the app itself, and SMS reaches customers whose app cannot. An event's own `media` list overrides the default.
 */
export function mediaPreference(
  severity: Severity,
  requested: readonly string[] | null | undefined,
): Medium[] {
  if (requested?.length) return requested.filter((m): m is Medium => m === 'push' || m === 'sms');
  return severity === 'critical' ? ['sms', 'push'] : ['push', 'sms'];
}

export function canReach(who: Reachability, medium: Medium): boolean {
  return medium === 'push' ? who.consentPush && who.hasDevice : who.consentSms && who.phone !== null;
}

export function chooseMedium(who: Reachability, preference: readonly Medium[]): Medium | null {
  return preference.find((medium) => canReach(who, medium)) ?? null;
}
