import type { QuietWindow } from '../config/quiet-window';
import type { Medium } from '../database/schema';
import { chooseMedia, MediaPolicy } from '../dispatch/media-policy';
import { quietUntil } from '../dispatch/quiet-hours';
import type { AudienceGroup } from './audience.query';

export interface PreviewTotals {
  recipients: Record<Medium, number>;
  heldByQuietHours: number;
  /** Per locale: how many would get an SMS, to multiply by that locale's segments. */
  smsByLocale: Map<string, number>;
}

/** How each kind of reachability is reached under the notice's media policy, as the planner would choose. */
const KINDS = {
  both: { phone: '+', consentPush: true, consentSms: true, hasDevice: true },
  pushOnly: { phone: null, consentPush: true, consentSms: false, hasDevice: true },
  smsOnly: { phone: '+', consentPush: false, consentSms: true, hasDevice: false },
} as const;

/**
 * Recipients per medium and the customers quiet hours would hold right now, from the audience's groups: the same
 * media choice and the same clock rule as planning, counted instead of planned.
 */
export function previewTotals(
  groups: AudienceGroup[],
  policy: MediaPolicy,
  quiet: QuietWindow | null,
  now: Date,
): PreviewTotals {
  const totals: PreviewTotals = {
    recipients: { push: 0, sms: 0 },
    heldByQuietHours: 0,
    smsByLocale: new Map(),
  };
  for (const group of groups) {
    const held = quiet !== null && quietUntil(now, group.timeZone, quiet) !== null;
    for (const [kind, who] of Object.entries(KINDS) as [
      keyof typeof KINDS,
      (typeof KINDS)[keyof typeof KINDS],
    ][]) {
      const count = group[kind];
      const media = chooseMedia(who, policy);
      if (!count || !media.length) continue;
      for (const medium of media) totals.recipients[medium] += count;
      if (media.includes('sms'))
        totals.smsByLocale.set(group.locale, (totals.smsByLocale.get(group.locale) ?? 0) + count);
      if (held) totals.heldByQuietHours += count;
    }
  }
  return totals;
}
