import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase } from '../../src/database/database.factory';
import { migrateToLatest } from '../../src/database/migrator';
import { withClient } from '../support/test-database';

/** The machine's PostgreSQL as the superuser (trust auth on loopback). */
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the database unless it exists; returns its URL. Names are generated here, never user text. */
export async function ensureDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a database name: ${name}`);
  await withClient(ADMIN_URL, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE ${name}`);
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a database name: ${name}`);
  await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Tables, columns and indexes of a database, hashed: equal when two databases have the same schema. */
async function schemaSignature(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ line: string }>(
      `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
              coalesce(column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'bench_import'
       UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'bench_import'
       ORDER BY 1`,
    );
    return createHash('sha256')
      .update(rows.map((r) => r.line).join('\n'))
      .digest('hex');
  });
}

/**
 * True when `url`'s schema is what the current migrations build. Migrations may still be edited in place while
 * the project is young, and a directory seeded under an older schema would measure the wrong thing.
 */
export async function hasCurrentSchema(url: string): Promise<boolean> {
  const scratch = `aviso_bench_schema_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(scratch);
  try {
    const { db } = openDatabase({ DATABASE_URL: databaseUrl(scratch), DATABASE_POOL_SIZE: 1, DATA_DIR: '' });
    await migrateToLatest(db).finally(() => db.destroy());
    return (await schemaSignature(url)) === (await schemaSignature(databaseUrl(scratch)));
  } finally {
    await dropDatabase(scratch);
  }
}

/** Customers in the directory, or 0 before the schema exists. */
export async function customerCount(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ t: string | null }>(`SELECT to_regclass('public.customers') AS t`);
    if (!rows[0].t) return 0;
    const counted = await c.query<{ n: string }>('SELECT count(*) AS n FROM customers');
    return Number(counted.rows[0].n);
  });
}

/** Forgets earlier runs (incidents, notices, ledger) and, when asked, the directory; keeps schema and keys. */
export async function clearRuns(url: string, directoryToo: boolean): Promise<void> {
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ t: string | null }>(`SELECT to_regclass('public.deliveries') AS t`);
    if (!rows[0].t) return;
    // CASCADE reaches whatever references incidents (events, notices, the ledger); devices have no foreign key.
    await c.query('TRUNCATE incidents CASCADE');
    await c.query('TRUNCATE carrier_reports');
    if (directoryToo) await c.query('TRUNCATE customers, devices');
  });
}

export interface StoredImport {
  customers: number;
  seconds: number;
  customersPerSecond: number;
}

/** The timed import that seeded this database, kept beside the directory it describes. */
export async function saveImport(url: string, figures: StoredImport): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(
      'CREATE TABLE IF NOT EXISTS bench_import (customers int, seconds float8, per_second float8)',
    );
    await c.query('TRUNCATE bench_import');
    await c.query('INSERT INTO bench_import VALUES ($1, $2, $3)', [
      figures.customers,
      figures.seconds,
      figures.customersPerSecond,
    ]);
  });
}

export async function loadImport(url: string): Promise<StoredImport | null> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ t: string | null }>(`SELECT to_regclass('public.bench_import') AS t`);
    if (!rows[0].t) return null;
    const found = await c.query<StoredImport>(
      'SELECT customers, seconds, per_second AS "customersPerSecond" FROM bench_import',
    );
    return found.rows[0] ?? null;
  });
}

/** Fresh planner statistics after a bulk load, as an operator would run after an initial import. */
export async function analyze(url: string): Promise<void> {
  await withClient(url, (c) => c.query('VACUUM ANALYZE'));
}

/** Read-only looks at a benchmark database while a run goes on. */
export class BenchDb {
  private constructor(private readonly client: Client) {}

  static async open(url: string): Promise<BenchDb> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new BenchDb(client);
  }

  async notice(id: string): Promise<NoticeProgress> {
    const { rows } = await this.client.query<NoticeProgress>(
      `SELECT state, planned_count AS planned, audience_total AS total,
              (extract(epoch FROM planned_at) * 1000)::float8 AS "plannedAt",
              (extract(epoch FROM finished_at) * 1000)::float8 AS "finishedAt"
       FROM notices WHERE id = $1`,
      [id],
    );
    if (!rows.length) throw new Error(`notice ${id} not found`);
    return rows[0];
  }

  /** Ledger rows of the notice by medium and state. */
  async ledger(noticeId: string): Promise<LedgerCounts> {
    const { rows } = await this.client.query<{ medium: string; state: string; n: string }>(
      'SELECT medium, state, count(*) AS n FROM deliveries WHERE notice_id = $1 GROUP BY medium, state',
      [noticeId],
    );
    const counts: LedgerCounts = { rows: 0, told: { push: 0, sms: 0 }, byState: {} };
    for (const r of rows) {
      const n = Number(r.n);
      counts.rows += n;
      counts.byState[`${r.medium}.${r.state}`] = n;
      if (r.state === 'sent' || r.state === 'delivered') counts.told[r.medium as 'push' | 'sms'] += n;
    }
    return counts;
  }

  /** Event ids with their notice count: exactly one each is what idempotent intake promises. */
  async noticesPerEvent(): Promise<{ events: number; notices: number; eventsWithoutOneNotice: number }> {
    const { rows } = await this.client.query<{ events: string; notices: string; odd: string }>(
      `SELECT count(*) AS events, coalesce(sum(n), 0) AS notices, count(*) FILTER (WHERE n <> 1) AS odd
       FROM (SELECT e.id, count(n.id) AS n FROM events e LEFT JOIN notices n ON n.event_id = e.id GROUP BY e.id) x`,
    );
    return {
      events: Number(rows[0].events),
      notices: Number(rows[0].notices),
      eventsWithoutOneNotice: Number(rows[0].odd),
    };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

export interface NoticeProgress {
  state: string;
  planned: number;
  total: number | null;
  plannedAt: number | null;
  finishedAt: number | null;
}

export interface LedgerCounts {
  rows: number;
  /** Recipients sent (or already delivered) per medium. */
  told: { push: number; sms: number };
  byState: Record<string, number>;
}
