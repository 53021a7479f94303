import { hash } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import { Database } from '../database/schema';

/**
 * Transaction-scoped advisory locks that order every write to the directory, so concurrent writers neither
 * deadlock nor leave `has_device` out of step with `devices`. A writer locks the device tokens it touches, then
 * reads who owns them, then locks those owners and the customers it writes; each step in ascending order, tokens
 * always before customers. Whoever moves, deletes or adds a token holds its lock, and whoever changes a
 * customer's devices holds that customer's lock, so the owners read stay the owners until commit.
 *
 * Keys are hashed into a fixed number of buckets per kind: an import batch of thousands of customers then takes at
 * most a few hundred locks (PostgreSQL's lock table is shared and small), at the price of unrelated customers in
 * the same bucket waiting for each other for the length of one transaction.
 */
const BUCKETS = 256;

enum LockKind {
  Token = 1,
  Customer = 2,
}

/** The lock buckets of these keys, ascending. One-shot `hash` (Node ≥ 20.12): an import hashes two keys per customer. */
export function bucketsOf(keys: Iterable<string>): number[] {
  const buckets = new Set<number>();
  for (const key of keys) buckets.add(hash('sha1', key, 'buffer').readUInt16BE(0) % BUCKETS);
  return [...buckets].sort((a, b) => a - b);
}

async function lock(trx: Kysely<Database>, kind: LockKind, buckets: readonly number[]): Promise<void> {
  if (!buckets.length) return;
  // unnest yields the array in order, so the locks are taken in ascending order.
  await sql`SELECT pg_advisory_xact_lock(${kind}::int, b) FROM unnest(${buckets}::int[]) AS b`.execute(trx);
}

/**
 * Tokens first, then, after reading who owns them (`owners`), those owners and the customers the write touches.
 */
async function lockInOrder(
  trx: Kysely<Database>,
  tokenBuckets: readonly number[],
  customerBuckets: readonly number[],
  owners: () => Promise<{ customer_id: string }[]>,
): Promise<void> {
  await lock(trx, LockKind.Token, tokenBuckets);
  const owned = tokenBuckets.length ? bucketsOf((await owners()).map((o) => o.customer_id)) : [];
  await lock(
    trx,
    LockKind.Customer,
    [...new Set([...customerBuckets, ...owned])].sort((a, b) => a - b),
  );
}

/**
 * Takes the locks for a write that touches these tokens and these customers, and those of the tokens' current
 * owners; run it first in the transaction, before any write.
 */
export async function lockDirectory(
  trx: Kysely<Database>,
  tokens: readonly string[],
  customerIds: readonly string[],
): Promise<void> {
  await lockInOrder(trx, bucketsOf(tokens), bucketsOf(customerIds), async () => {
    const { rows } = await sql<{ customer_id: string }>`
      SELECT DISTINCT customer_id FROM devices WHERE token = ANY(${tokens}::text[])`.execute(trx);
    return rows;
  });
}

/**
 * `lockDirectory` for a batch staged in `staged_devices` (customers.repository.ts), given the buckets of its tokens
 * and customers: the owners are read from the staged tokens rather than sent again. As an array, not a join: the
 * staging table has no statistics, and a join would scan all of `devices` whenever the planner guessed it cheaper.
 */
export async function lockStagedBatch(
  trx: Kysely<Database>,
  tokenBuckets: readonly number[],
  customerBuckets: readonly number[],
): Promise<void> {
  await lockInOrder(trx, tokenBuckets, customerBuckets, async () => {
    const { rows } = await sql<{ customer_id: string }>`
      SELECT DISTINCT customer_id FROM devices
      WHERE token = ANY(ARRAY(SELECT token FROM staged_devices))`.execute(trx);
    return rows;
  });
}
