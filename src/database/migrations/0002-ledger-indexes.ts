import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

/**
 * Fewer indexes for the ledger to keep up: each delivery row is inserted once and rewritten by every outcome, and
 * none of those writes is a HOT update, so every index costs an entry per write.
 * - deliveries_batch goes: a batch's statements read its pending rows through deliveries_pending, which has the
 *   same columns; the rare rows outside it are found by primary key.
 * - Only SMS message ids are looked up (carrier reports); push message ids are kept as evidence, unindexed.
 */
const UP = [
  `DROP INDEX deliveries_batch`,
  `DROP INDEX deliveries_provider_message`,
  `CREATE INDEX deliveries_sms_message ON deliveries (provider_message_id)
     WHERE medium = 'sms' AND provider_message_id IS NOT NULL`,
];

const DOWN = [
  `DROP INDEX deliveries_sms_message`,
  `CREATE INDEX deliveries_provider_message ON deliveries (provider_message_id) WHERE provider_message_id IS NOT NULL`,
  `CREATE INDEX deliveries_batch ON deliveries (notice_id, medium, batch)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, DOWN);
}
