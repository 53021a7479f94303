import { ChannelActivity } from '../database/schema';
import { Customer, Device } from './customer';
import { bucketsOf } from './directory-locks';

/**
 * Batches of customers as the repository stages them: PostgreSQL COPY text-format rows, one line per customer and
 * one per device, tab-separated, `\N` for NULL. Validated fields never hold a tab, a newline or a carriage return
 * (ids, tokens, slugs and phone numbers have formats; JSON escapes control characters), and only a token or the
 * channel JSON can hold a backslash, the one character escaped: that keeps the rows cheap to write and lets SQL
 * read them back where COPY is unavailable.
 */

const NULL = '\\N';
const BACKSLASH = /\\/g;

function copyText(value: string): string {
  return value.includes('\\') ? value.replace(BACKSLASH, '\\\\') : value;
}

/**
 * Channel activity as stored: epoch milliseconds, which SQL compares as numbers without parsing a date per row,
 * and which keep the millisecond the API was given. Written by hand: building an object for JSON.stringify
 * and running Date.parse took twice as long, once per customer of an import.
 */
export function activityJson(channels: Record<string, string>): string {
  let json = '';
  for (const id in channels) json += `${json ? ',' : '{'}${quoted(id)}:${epochMillis(channels[id])}`;
  return json ? `${json}}` : '{}';
}

/** Channel ids as JSON strings, kept: they are the catalog's few, and quoting one each time was a tenth of a batch. */
const quotedIds = new Map<string, string>();
function quoted(id: string): string {
  let json = quotedIds.get(id);
  if (json === undefined) quotedIds.set(id, (json = JSON.stringify(id)));
  return json;
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

const byId = (a: Customer, b: Customer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A batch as the repository writes it: ids unique, rows sorted by key (see `customerBatch`). */
export interface CustomerBatch {
  customers: number;
  devices: number;
  /** Lock buckets (directory-locks.ts) of the batch's tokens and of its customers. */
  tokenBuckets: number[];
  customerBuckets: number[];
  /** COPY rows of `customers (id, locale, time_zone, region, phone, consent_push, consent_sms, channels, has_device)`. */
  customerRows: string;
  /** COPY rows of `devices (token, customer_id, platform, last_seen)`; each token once, by its last claimant. */
  deviceRows: string;
}

/**
 * Builds a batch's rows. An import builds the next batch's while PostgreSQL still writes the previous one, so that
 * this CPU work stays off the path each batch waits on. Ids must be unique within the batch; a token listed by two
 * customers goes to the later one in the array.
 */
export function customerBatch(customers: readonly Customer[]): CustomerBatch {
  const claims = new Map<string, { customer: string; device: Device }>();
  for (const c of customers)
    for (const device of c.devices) claims.set(device.token, { customer: c.id, device });
  // Rows go in sorted by key so that concurrent writers lock them in the same order and cannot deadlock.
  const tokens = [...claims.keys()].sort();
  const owners = new Set<string>();
  let deviceRows = '';
  for (const token of tokens) {
    const { customer, device } = claims.get(token) as { customer: string; device: Device };
    owners.add(customer);
    deviceRows += `${copyText(token)}\t${customer}\t${device.platform}\t${device.lastSeen ?? NULL}\n`;
  }
  const sorted = [...customers].sort(byId);
  let customerRows = '';
  for (const c of sorted) {
    const region = c.region ?? NULL;
    const phone = c.phone ?? NULL;
    const consent = `${c.consent.push ? 't' : 'f'}\t${c.consent.sms ? 't' : 'f'}`;
    const hasDevice = owners.has(c.id) ? 't' : 'f';
    customerRows += `${c.id}\t${c.locale}\t${c.timeZone}\t${region}\t${phone}\t${consent}\t${copyText(activityJson(c.channels))}\t${hasDevice}\n`;
  }
  return {
    customers: sorted.length,
    devices: tokens.length,
    tokenBuckets: bucketsOf(tokens),
    customerBuckets: bucketsOf(sorted.map((c) => c.id)),
    customerRows,
    deviceRows,
  };
}
