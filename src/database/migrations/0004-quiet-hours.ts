import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

/**
 * A delivery held by the customer's quiet hours is pending with the instant it may go: batches and the recovery
 * sweep leave it alone until then. Nullable without a default, so adding it rewrites nothing.
 */
const UP = [`ALTER TABLE deliveries ADD COLUMN send_after timestamptz`];
const DOWN = [`ALTER TABLE deliveries DROP COLUMN send_after`];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, DOWN);
}
