import type { QuietWindow } from '../config/quiet-window';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/** Formatters are costly to build and a directory has few time zones. */
const clocks = new Map<string, Intl.DateTimeFormat>();

function localMinutes(at: Date, timeZone: string): number {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, clock);
  }
  const parts = clock.formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return part('hour') * 60 + part('minute');
}

/**
 * When a notice may reach someone whose clock is in `timeZone`: null when `now` is outside the window there, else
 * the instant the window ends on their clock. Counted in minutes from now, so a day with a clock change releases
 * within an hour of the local end.
 */
export function quietUntil(now: Date, timeZone: string, window: QuietWindow): Date | null {
  const local = localMinutes(now, timeZone);
  const inside =
    window.start < window.end
      ? local >= window.start && local < window.end
      : local >= window.start || local < window.end;
  if (!inside) return null;
  const minutesLeft = (window.end - local + DAY_MINUTES) % DAY_MINUTES;
  const startOfMinute = now.getTime() - (now.getTime() % MINUTE_MS);
  return new Date(startOfMinute + minutesLeft * MINUTE_MS);
}
