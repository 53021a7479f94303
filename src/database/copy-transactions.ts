import { finished } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Database } from './schema';

/** Streams COPY text-format rows (`COPY … FROM STDIN`) into a table on the transaction's connection. */
export type CopyIn = (statement: string, rows: string) => Promise<void>;

/**
 * Transactions that can also `COPY … FROM STDIN`, which Kysely cannot send: the work gets a Kysely bound to one
 * pooled connection and a CopyIn on that same connection. PostgreSQL only; PGlite has no COPY FROM STDIN.
 */
export class CopyTransactions {
  constructor(private readonly pool: Pool) {}

  async run<T>(work: (trx: Kysely<Database>, copyIn: CopyIn) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(boundTo(client), (statement, rows) => copyRows(client, statement, rows));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
        throw err;
      }
    } finally {
      // A connection that could not even roll back is not handed to the next caller.
      client.release(broken);
    }
  }
}

async function copyRows(client: PoolClient, statement: string, rows: string): Promise<void> {
  const copy = client.query(copyFrom(statement));
  const done = finished(copy);
  copy.end(rows);
  await done;
}

/** A Kysely whose every query runs on this one client, inside the transaction its owner opened. */
function boundTo(client: PoolClient): Kysely<Database> {
  const connection = { query: client.query.bind(client), release: () => undefined };
  const pool = { connect: () => Promise.resolve(connection), end: () => Promise.resolve() };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as Pool }) });
}
