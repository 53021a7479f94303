import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { Pool } from 'pg';
import Cursor from 'pg-cursor';
import { Env } from '../config/config.schema';
import { Database } from './schema';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Human-readable target for start-up logs; never contains credentials. */
  describe: string;
  embedded: boolean;
  /** The PostgreSQL pool behind `db`, for what Kysely cannot send (COPY); absent on PGlite. */
  pool?: Pool;
}

export function openDatabase(
  env: Pick<Env, 'DATABASE_URL' | 'DATABASE_POOL_SIZE' | 'DATA_DIR'>,
): DatabaseHandle {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    // No JIT: every statement here is either a short lookup or one pass over the audience, and compiling cost more
    // than it saved: 0.5 s on each of the preview's queries at a million customers, and about 100 ms on a ledger
    // statement that only index scans may serve (the disabled scans' cost put it over jit_above_cost).
    const pool = new Pool({
      connectionString: env.DATABASE_URL,
      max: env.DATABASE_POOL_SIZE,
      options: '-c jit=off',
    });
    // An idle connection PostgreSQL dropped (a restart, a failover) is an 'error' event: unheard, it would end the
    // process, and with it what answers without the database (health, the status page).
    pool.on('error', (err) => new Logger('Database').warn(`idle connection lost: ${err.message}`));
    // The cursor lets exports stream a million rows with .stream() instead of holding them.
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) }),
      describe: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
      embedded: false,
      pool,
    };
  }
  // PGlite is single-process: the embedded database serves one process that hosts both the API and the worker.
  const dir = resolve(join(env.DATA_DIR, 'pglite'));
  mkdirSync(dir, { recursive: true });
  return {
    db: new Kysely<Database>({ dialect: new PGliteDialect(new PGlite(dir)) }),
    describe: `embedded PGlite in ${dir}`,
    embedded: true,
  };
}
