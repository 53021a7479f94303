import { Kysely, OperationNodeSource, sql } from 'kysely';
import { Database } from './schema';

/**
 * Runs data-modifying statements as one: the first is the main statement and the others travel with it as
 * data-modifying CTEs. They commit or fail together, in one round trip, without a transaction around them.
 */
export async function executeAsOne(
  db: Kysely<Database>,
  [main, ...alongside]: OperationNodeSource[],
): Promise<void> {
  if (!alongside.length) return void (await sql`${main}`.execute(db));
  const ctes = alongside.map((query, i) => sql`${sql.id(`w${i}`)} AS (${query})`);
  await sql`WITH ${sql.join(ctes)} ${main}`.execute(db);
}

/** A unique constraint refused the write: on PostgreSQL and PGlite alike, SQLSTATE 23505. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}
