/**
 * Checks for the scalar formats of the customer contract. Each returns the normalised value or undefined,
 * and accepts only what PostgreSQL also accepts, so a validated batch never fails in the database.
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Within ±14 h of the accepted range [1970, 9999): earlier years are refused without Date.UTC reading 0-99 as 19xx.
const FIRST_YEAR = 1969;
const LATEST_MS = Date.UTC(9999, 0, 1);

/** ISO-8601 date-time with a zone (`Z` or `±hh:mm`), returned as UTC with millisecond precision. */
export function isoTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const utc = plainUtc(value);
  return utc === null ? withAnyZone(value) : utc;
}

/**
 * The forms exports use, `2026-11-20T12:00:00Z` and `2026-11-20T12:00:00.000Z`, read digit by digit: an import
 * reads several per customer, and the regular expression allocates a dozen strings each time. Null when `value`
 * has another form.
 */
function plainUtc(value: string): string | undefined | null {
  const length = value.length;
  if (length !== 20 && length !== 24) return null;
  const separators =
    value[4] === '-' &&
    value[7] === '-' &&
    value[10] === 'T' &&
    value[13] === ':' &&
    value[16] === ':' &&
    value[length - 1] === 'Z' &&
    (length === 20 || value[19] === '.');
  if (!separators) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  const millis = length === 24 ? digits(value, 20, 3) : 0;
  if (Math.min(year, month, day, hour, minute, second, millis) < 0) return null;
  if (!validFields(year, month, day, hour, minute, second, 0, 0) || year < 1970 || year >= 9999)
    return undefined;
  return length === 24 ? value : `${value.slice(0, 19)}.000Z`;
}

/** The number written by `count` ASCII digits at `start`, or -1. */
function digits(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function withAnyZone(value: string): string | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  const offsetHours = m[9] ? Number(m[9]) : 0;
  const offsetMinutes = m[10] ? Number(m[10]) : 0;
  if (!validFields(year, month, day, hour, minute, second, offsetHours, offsetMinutes)) return undefined;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const at = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
  return at >= 0 && at < LATEST_MS ? new Date(at).toISOString() : undefined;
}

/** PostgreSQL refuses 31 February where Date.UTC would roll it into March, so the fields are checked first. */
function validFields(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetHours: number,
  offsetMinutes: number,
): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  return (
    year >= FIRST_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59
  );
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
