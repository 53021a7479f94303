import { Kysely, Migration, MigrationProvider, Migrator } from 'kysely';
import * as initial from './migrations/0001-initial';
import * as ledgerIndexes from './migrations/0002-ledger-indexes';
import * as deliveryPerMedium from './migrations/0004-delivery-per-medium';
import * as noticePerEventAndKind from './migrations/0004-notice-per-event-and-kind';
import * as quietHours from './migrations/0004-quiet-hours';
import * as approvals from './migrations/0005-approvals';
import * as people from './migrations/0005-people';
import * as customersPhone from './migrations/0006-customers-phone';

// Listed in code rather than read from disk so the compiled build and the tests see the same set.
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-ledger-indexes': ledgerIndexes,
  '0004-delivery-per-medium': deliveryPerMedium,
  '0004-notice-per-event-and-kind': noticePerEventAndKind,
  '0004-quiet-hours': quietHours,
  '0005-approvals': approvals,
  '0005-people': people,
  '0006-customers-phone': customersPhone,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/**
 * Brings the schema up to date. Kysely's migrator takes a row lock on its lock table inside a transaction,
 * so two processes starting at once run each migration exactly once. A migration may reach a database where a higher
 * number already ran (0004-quiet-hours after 0006): unordered migrations are allowed, which runs it then instead
 * of refusing to start. Each migration stands on its own.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
