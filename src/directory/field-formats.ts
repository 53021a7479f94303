/**
 * Checks for the scalar formats of the customer contract. Each returns the normalised value or undefined,
 * and accepts only what PostgreSQL also accepts, so a validated batch never fails in the database.
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;
const LATEST_MS = Date.UTC(9999, 0, 1);

/** ISO-8601 date-time with a zone (`Z` or `±hh:mm`), returned as UTC with millisecond precision. */
export function isoTimestamp(value: unknown): string | undefined {
  const m = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  const offsetHours = m[9] ? Number(m[9]) : 0;
  const offsetMinutes = m[10] ? Number(m[10]) : 0;
  // Date.UTC rolls 31 February into March; PostgreSQL rejects it, so the fields are checked first.
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= new Date(Date.UTC(year, month, 0)).getUTCDate() &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59;
  if (!valid) return undefined;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const at = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
  return at >= 0 && at < LATEST_MS ? new Date(at).toISOString() : undefined;
}

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;
const zones = new Map<string, string>();
const MAX_CACHED_ZONES = 2_000;

/** A valid IANA time zone name, returned in its canonical spelling. */
export function ianaTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64 || !ZONE_NAME.test(value)) return undefined;
  const cached = zones.get(value);
  if (cached) return cached;
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  // Building a formatter costs tens of microseconds; there are only a few hundred zones, so remember them.
  if (zones.size < MAX_CACHED_ZONES) zones.set(value, canonical);
  return canonical;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && SLUG.test(value);
}
