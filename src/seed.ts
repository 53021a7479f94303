import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AuditLog } from './access/audit-log';
import { loadConfig } from './config/app-config';
import { openDatabase } from './database/database.factory';
import { migrateToLatest } from './database/migrator';
import { CustomerBatches } from './directory/customer-batches';
import { CustomerBatch } from './directory/customer-rows';
import { CustomersRepository } from './directory/customers.repository';
import { syntheticCustomers } from './directory/synthetic-directory';

// With the embedded database (no DATABASE_URL), stop the service first: PGlite serves one process at a
// time, and a second process opening the same data directory can corrupt it.
const USAGE = `Usage: npm run seed -- --customers N [--seed S]
Writes N synthetic customers (ids C0000001…, activity relative to now) into the configured database.
The same seed gives the same customers; seeding again replaces them.`;

function positiveInteger(value: string | undefined, name: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(`--${name} must be an integer ≥ ${min}.\n${USAGE}`);
  return n;
}

async function seed(): Promise<void> {
  const { values } = parseArgs({
    options: { customers: { type: 'string' }, seed: { type: 'string', default: '1' } },
  });
  const count = positiveInteger(values.customers, 'customers', 1);
  const seedValue = positiveInteger(values.seed, 'seed', 0);
  const config = loadConfig();
  const { db, describe } = openDatabase(config.env);
  try {
    await migrateToLatest(db);
    console.log(`Seeding ${count.toLocaleString('en')} customers (seed ${seedValue}) into ${describe}`);
    const customers = new CustomersRepository(db);
    const audit = new AuditLog(db);
    const started = performance.now();
    let written = 0;
    let reported = started;
    const report = () => {
      const seconds = (performance.now() - started) / 1000;
      const rate = Math.round(written / seconds).toLocaleString('en');
      console.log(`  ${written.toLocaleString('en')} / ${count.toLocaleString('en')} customers, ${rate}/s`);
    };
    const write = async (batch: CustomerBatch, final: boolean) => {
      await db.transaction().execute(async (trx) => {
        await customers.upsert(batch, trx);
        if (final)
          await audit.record(
            'seed',
            { action: 'customers.seed', target: 'customers', detail: { count, seed: seedValue } },
            trx,
          );
      });
      written += batch.customers;
      if (performance.now() - reported >= 1000) {
        reported = performance.now();
        report();
      }
    };
    const batches = new CustomerBatches();
    for (const customer of syntheticCustomers({ count, seed: seedValue })) {
      const full = batches.add(customer);
      if (full) await write(full, false);
    }
    await write(batches.take(), true);
    report();
    console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await db.destroy();
  }
}

seed().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
