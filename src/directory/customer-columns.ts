import { ChannelActivity } from '../database/schema';
import { Customer, Device } from './customer';

/**
 * Batches of customers as the repository's bulk statements take them: one PostgreSQL array literal per column, for
 * `unnest`. The literals are built here rather than by node-pg, which escapes every element with two regular
 * expressions whether it needs it or not: that was a tenth of an import's CPU.
 */

const MUST_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** A `text[]` (or `boolean[]`) literal; the statement casts it. */
export function arrayLiteral(values: readonly (string | boolean | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i) literal += ',';
    if (value === null) literal += 'NULL';
    else if (typeof value === 'boolean') literal += value ? 't' : 'f';
    else literal += `"${MUST_ESCAPE.test(value) ? value.replace(ESCAPED, '\\$&') : value}"`;
  }
  return `${literal}}`;
}

/**
 * Channel activity as stored: epoch milliseconds, which SQL compares as numbers without parsing a date per row,
 * and which keep the millisecond the API was given. Written by hand: building an object for JSON.stringify
 * and running Date.parse took twice as long, once per customer of an import.
 */
export function activityJson(channels: Record<string, string>): string {
  let json = '';
  for (const id in channels) json += `${json ? ',' : '{'}${JSON.stringify(id)}:${epochMillis(channels[id])}`;
  return json ? `${json}}` : '{}';
}

/** The validator's normal form, `2026-11-20T12:00:00.000Z`, read digit by digit; anything else by Date.parse. */
function epochMillis(iso: string): number {
  if (iso.length !== 24 || iso[23] !== 'Z') return Date.parse(iso);
  const n = (start: number, count: number) => {
    let value = 0;
    for (let i = start; i < start + count; i++) value = value * 10 + iso.charCodeAt(i) - 48;
    return value;
  };
  return Date.UTC(n(0, 4), n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2), n(20, 3));
}

/** Stored channel activity as the API shows it: ISO-8601 in UTC, channels in alphabetical order. */
export function activityOf(stored: ChannelActivity): Record<string, string> {
  const channels: Record<string, string> = {};
  for (const id of Object.keys(stored).sort()) channels[id] = new Date(stored[id]).toISOString();
  return channels;
}

/** Channel activity travels as one JSON array: PostgreSQL parses one document several times faster than a `jsonb[]`. */
export function customerColumns(customers: readonly Customer[], deviceOwners: ReadonlySet<string>) {
  return {
    ids: arrayLiteral(customers.map((c) => c.id)),
    locales: arrayLiteral(customers.map((c) => c.locale)),
    zones: arrayLiteral(customers.map((c) => c.timeZone)),
    regions: arrayLiteral(customers.map((c) => c.region ?? null)),
    phones: arrayLiteral(customers.map((c) => c.phone ?? null)),
    push: arrayLiteral(customers.map((c) => c.consent.push)),
    sms: arrayLiteral(customers.map((c) => c.consent.sms)),
    channels: `[${customers.map((c) => activityJson(c.channels)).join(',')}]`,
    hasDevice: arrayLiteral(customers.map((c) => deviceOwners.has(c.id))),
  };
}

const byId = (a: Customer, b: Customer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export type CustomerColumns = ReturnType<typeof customerColumns>;
export type DeviceColumns = ReturnType<typeof deviceColumns>;

/** A batch as the repository writes it: its customers sorted by id, with every column built. */
export interface CustomerBatch {
  customers: readonly Customer[];
  columns: CustomerColumns;
  devices: DeviceColumns;
}

/**
 * Builds a batch's columns. An import builds the next batch's while PostgreSQL still writes the previous one,
 * so that this CPU work stays off the path each batch waits on. Ids must be unique within the batch.
 */
export function customerBatch(customers: readonly Customer[]): CustomerBatch {
  // Rows go in sorted by key so that concurrent writers lock them in the same order and cannot deadlock.
  const sorted = [...customers].sort(byId);
  const devices = deviceColumns(customers);
  return { customers: sorted, columns: customerColumns(sorted, devices.owners), devices };
}

/** A token listed by two customers goes to the later one in the array. */
export function deviceColumns(customers: readonly Customer[]) {
  const claims = new Map<string, { customer: string; device: Device }>();
  for (const c of customers)
    for (const device of c.devices) claims.set(device.token, { customer: c.id, device });
  const tokens = [...claims.keys()].sort();
  const owned = tokens.map((token) => claims.get(token) as { customer: string; device: Device });
  return {
    count: tokens.length,
    /** Customers left with at least one device. */
    owners: new Set(owned.map((d) => d.customer)),
    tokens: arrayLiteral(tokens),
    customers: arrayLiteral(owned.map((d) => d.customer)),
    platforms: arrayLiteral(owned.map((d) => d.device.platform)),
    lastSeen: arrayLiteral(owned.map((d) => d.device.lastSeen ?? null)),
  };
}
