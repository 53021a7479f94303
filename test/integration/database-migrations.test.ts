import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrateToLatest } from '../../src/database/migrator';
import { createTestDatabase } from '../support/test-database';

describe(migrateToLatest.name, () => {
  it('runs a migration whose number is below one already run, instead of refusing to start', async () => {
    const database = await createTestDatabase('migrations');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url }) }),
    });
    try {
      expect(await migrateToLatest(db)).toContain('0006-customers-phone');
      // As a database migrated before 0004-quiet-hours existed, while 0006 already ran.
      await sql`ALTER TABLE deliveries DROP COLUMN send_after`.execute(db);
      await sql`DELETE FROM kysely_migration WHERE name = '0004-quiet-hours'`.execute(db);

      expect(await migrateToLatest(db)).toEqual(['0004-quiet-hours']);
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM information_schema.columns
        WHERE table_name = 'deliveries' AND column_name = 'send_after'`.execute(db);
      expect(rows[0].n).toBe(1);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
