import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

/**
 * Customers are found by phone number when they reply STOP or START by SMS. Such replies come in bursts right after
 * a notice, thousands at a million recipients, and each would otherwise read the whole directory.
 */
const UP = [`CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL`];
const DOWN = [`DROP INDEX customers_phone`];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, DOWN);
}
