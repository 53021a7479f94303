import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Customer } from '../../src/directory/customer';
import { syntheticCustomers } from '../../src/directory/synthetic-directory';

/** Low-discrepancy sequence: the share of i with frac(i·φ) < m is m to within 1/N, with no clustering by id. */
const GOLDEN = 0.6180339887498949;

/**
 * The benchmark's directory variant for a push/SMS `mix`: the synthetic directory (seed 1), reshaped so that every
 * customer is reachable and a `mix` share is reachable by push (the rest only by SMS). A push customer keeps their
 * devices (or gets one) with push consent; an SMS customer loses their devices and has a phone with SMS consent.
 * Which channels they used is left alone, so the audience of an event is the synthetic directory's.
 */
export function benchCustomer(customer: Customer, index: number, mix: number): Customer {
  const byPush = (index * GOLDEN) % 1 < mix;
  if (byPush) {
    const devices = customer.devices.length
      ? customer.devices
      : [{ token: `bench-${customer.id}:APA91b${'x'.repeat(134)}`, platform: 'android' as const }];
    return { ...customer, devices, consent: { ...customer.consent, push: true } };
  }
  const phone = customer.phone ?? `+57300${String(10_000_000 + index).slice(-7)}`;
  return { ...customer, phone, devices: [], consent: { ...customer.consent, sms: true } };
}

/** When the synthetic activity is anchored; the audience window is counted back from the event's acceptance. */
export interface SeedOptions {
  customers: number;
  mix: number;
  now: Date;
}

/** Writes the directory as NDJSON to a temporary file, so the timed import measures the server, not the generator. */
export async function writeDirectoryFile(options: SeedOptions): Promise<string> {
  const file = join(tmpdir(), `aviso-bench-${process.pid}-${options.customers}.ndjson`);
  const out = createWriteStream(file);
  let index = 0;
  let buffer = '';
  for (const customer of syntheticCustomers({ count: options.customers, seed: 1, now: options.now })) {
    buffer += `${JSON.stringify(benchCustomer(customer, index++, options.mix))}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return file;
}

export interface ImportResult {
  accepted: number;
  rejected: number;
  seconds: number;
  customersPerSecond: number;
  bytes: number;
}

/** Streams the file to POST /v1/customers/import (chunked, as an upstream system would) and times it. */
export async function importDirectory(
  apiUrl: string,
  authorization: string,
  file: string,
): Promise<ImportResult> {
  const started = performance.now();
  let bytes = 0;
  const summary = await new Promise<{ accepted: number; rejected: number; errors: unknown[] }>(
    (done, fail) => {
      const req = request(`${apiUrl}/v1/customers/import`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-ndjson' },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) return fail(new Error(`import answered ${res.statusCode}: ${body}`));
          done(JSON.parse(body));
        });
      });
      req.on('error', fail);
      const source = createReadStream(file, { highWaterMark: 256 * 1024 });
      source.on('data', (chunk) => (bytes += chunk.length));
      source.on('error', fail);
      source.pipe(req);
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (summary.rejected)
    throw new Error(`import rejected ${summary.rejected} lines: ${JSON.stringify(summary.errors)}`);
  return {
    accepted: summary.accepted,
    rejected: summary.rejected,
    seconds,
    customersPerSecond: summary.accepted / seconds,
    bytes,
  };
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
