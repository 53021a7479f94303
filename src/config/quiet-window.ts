import { z } from 'zod';

/** A daily window of local time, in minutes after midnight; `start > end` wraps past midnight (21:00-07:00). */
export interface QuietWindow {
  start: number;
  end: number;
}

/** "21:00-07:00" → the window; "" → null (quiet hours off). Throws on anything else. */
export function parseQuietWindow(text: string): QuietWindow | null {
  if (text === '') return null;
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new Error('must be HH:MM-HH:MM (24-hour local times), or empty to turn quiet hours off');
  const [start, end] = [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])];
  if (start === end) throw new Error('must not start and end at the same time');
  return { start, end };
}

/** QUIET_HOURS as the config schema reads it: kept as text (what .env.example shows), checked to parse at boot. */
export const quietWindowSetting = z
  .string()
  .trim()
  .default('21:00-07:00')
  .superRefine((text, ctx) => {
    try {
      parseQuietWindow(text);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
    }
  });

/** The window that holds a notice of this severity, or null when quiet hours are off or do not hold it. */
export function quietWindowFor(
  setting: { QUIET_HOURS: string; QUIET_HOURS_SEVERITIES: readonly string[] },
  severity: string,
): QuietWindow | null {
  return setting.QUIET_HOURS_SEVERITIES.includes(severity) ? parseQuietWindow(setting.QUIET_HOURS) : null;
}
