import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrateToLatest } from '../../src/database/migrator';
import type { Database } from '../../src/database/schema';
import { BatchLedger, DeliveryOutcome } from '../../src/ledger/batches.ledger';
import { CarrierReportLedger } from '../../src/ledger/carrier-reports.ledger';
import { PlannedDelivery, PlanningLedger } from '../../src/ledger/planning.ledger';
import { databaseUrl, dropDatabase, ensureDatabase } from './bench-database';
import { processCpuSeconds } from './cpu-meter';

const USAGE = `Usage: npm run bench:ledger -- [--rows 100000] [--runs 3]
  Carries --rows deliveries from planned to sent along the ledger's write path and along the alternatives
  docs/performance.md weighs, on a scratch database, and prints PostgreSQL's CPU seconds for each (median of --runs).`;

/** Rows per planning statement (a page of the audience) and per outcome statement (a push batch; SMS chunks are 50). */
const PAGE = 500;

type Trx = Kysely<Database>;

/** One way of getting a notice's rows from planned to sent. `plan` runs once per page, `send` once per batch. */
interface WritePath {
  name: string;
  what: string;
  plan(db: Trx, noticeId: string, page: PlannedDelivery[]): Promise<void>;
  send(db: Trx, noticeId: string, batch: number, outcomes: DeliveryOutcome[]): Promise<void>;
  /** Work left once every batch is sent (merging an outcome log); none for a path that writes rows in place. */
  finish?(db: Trx, noticeId: string): Promise<void>;
}

const outcomeArrays = (outcomes: DeliveryOutcome[]) => sql`unnest(
  ${outcomes.map((o) => o.customerId)}::text[], ${outcomes.map((o) => o.state)}::text[],
  ${outcomes.map((o) => o.messageId ?? null)}::text[]) AS u(customer_id, state, message_id)`;

/** The alternatives' outcome log: append-only, no index, merged into the ledger once the notice is sent. */
const OUTCOME_LOG = sql`CREATE TABLE IF NOT EXISTS outcome_log (
  notice_id uuid NOT NULL, customer_id text NOT NULL, medium text NOT NULL, state text NOT NULL,
  message_id text, at timestamptz NOT NULL DEFAULT now())`;

const mergeLog = async (db: Trx, noticeId: string) => {
  await sql`UPDATE deliveries d SET state = o.state, provider_message_id = o.message_id, attempts = d.attempts + 1,
              updated_at = o.at, sent_at = o.at
            FROM outcome_log o
            WHERE o.notice_id = ${noticeId} AND d.notice_id = o.notice_id AND d.customer_id = o.customer_id
              AND d.medium = o.medium`.execute(db);
  await sql`DELETE FROM outcome_log WHERE notice_id = ${noticeId}`.execute(db);
};

const planInPlace = (db: Trx, noticeId: string, page: PlannedDelivery[]) =>
  new PlanningLedger(db)
    .recordPlannedPage(noticeId, page, { customers: page.length, cursor: page[page.length - 1].customerId })
    .then(() => undefined);

const PATHS: WritePath[] = [
  {
    name: 'insert, then update',
    what: 'what Aviso does: a pending row per recipient at planning, updated with its outcome (the real ledger code)',
    plan: planInPlace,
    send: (db, noticeId, batch, outcomes) =>
      new BatchLedger(db, new CarrierReportLedger(db)).recordOutcomes(
        { noticeId, medium: 'push', batch },
        outcomes,
      ),
  },
  {
    name: 'insert, then outcome log',
    what: 'pending rows as today; outcomes appended to an unindexed log by INSERT, merged once the notice is sent',
    plan: planInPlace,
    send: async (db, noticeId, _batch, outcomes) => {
      await sql`INSERT INTO outcome_log (notice_id, customer_id, medium, state, message_id)
                SELECT ${noticeId}, u.customer_id, 'push', u.state, u.message_id FROM ${outcomeArrays(outcomes)}`.execute(
        db,
      );
    },
    finish: mergeLog,
  },
  {
    name: 'written once, at the send',
    what: 'the floor: no row at planning, one row per recipient inserted with its outcome (no pending state to recover)',
    plan: async () => undefined,
    send: async (db, noticeId, batch, outcomes) => {
      await sql`INSERT INTO deliveries (notice_id, customer_id, batch, medium, state, provider_message_id, attempts,
                                        sent_at)
                SELECT ${noticeId}, u.customer_id, ${batch}, 'push', u.state, u.message_id, 1, now()
                FROM ${outcomeArrays(outcomes)}`.execute(db);
    },
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rows: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '3' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const name = `aviso_bench_ledger_${process.pid}`;
  await ensureDatabase(name);
  // One connection, never closed while idle: its backend's CPU is what is measured.
  const pool = new Pool({ connectionString: databaseUrl(name), max: 1, idleTimeoutMillis: 0 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db);
    await OUTCOME_LOG.execute(db);
    const backend = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0].pid;
    const results = new Map<string, number[][]>();
    for (let run = 0; run < runs; run++)
      for (const path of PATHS) {
        const figures = await measure(db, backend, path, rows);
        results.set(path.name, [...(results.get(path.name) ?? []), figures]);
      }
    printTable(results, rows, runs);
  } finally {
    await db.destroy();
    await dropDatabase(name);
  }
}

/** [planning CPU s, sending CPU s, finishing CPU s, wall s] of PostgreSQL's backend for one notice of `rows`. */
async function measure(db: Trx, backend: number, path: WritePath, rows: number): Promise<number[]> {
  await sql`TRUNCATE deliveries, outcome_log`.execute(db);
  await sql`VACUUM ANALYZE deliveries`.execute(db);
  const noticeId = await newNotice(db);
  const ids = Array.from({ length: rows }, (_, i) => `C${String(i).padStart(8, '0')}`);
  const cpu = () => processCpuSeconds(backend) ?? Number.NaN;
  const started = performance.now();
  let mark = cpu();
  const lap = () => {
    const now = cpu();
    const spent = now - mark;
    mark = now;
    return spent;
  };
  for (let i = 0; i < rows; i += PAGE)
    await path.plan(
      db,
      noticeId,
      ids.slice(i, i + PAGE).map((customerId) => ({
        customerId,
        medium: 'push',
        state: 'pending',
        reason: null,
        sendAfter: null,
      })),
    );
  const planning = lap();
  for (let i = 0; i < rows; i += PAGE) {
    const outcomes = ids.slice(i, i + PAGE).map((customerId): DeliveryOutcome => ({
      customerId,
      state: 'sent',
      messageId: `m-${customerId}`,
      reason: null,
    }));
    await path.send(db, noticeId, i / PAGE + 1, outcomes);
  }
  const sending = lap();
  await path.finish?.(db, noticeId);
  const finishing = lap();
  const { n } = (
    await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM deliveries WHERE notice_id = ${noticeId} AND state = 'sent'`.execute(db)
  ).rows[0];
  if (n !== rows) throw new Error(`${path.name}: ${n} rows sent, expected ${rows}`);
  return [planning, sending, finishing, (performance.now() - started) / 1000];
}

async function newNotice(db: Trx): Promise<string> {
  const incident = randomUUID();
  const notice = randomUUID();
  await sql`INSERT INTO incidents (id, ref, status, severity, channels, opened_at, last_event_at)
            VALUES (${incident}, ${`LEDGER-${incident}`}, 'open', 'major', '{}', now(), now())`.execute(db);
  await sql`INSERT INTO notices (id, incident_id, event_id, type, severity, audience_spec, content, state, released)
            VALUES (${notice}, ${incident}, ${`evt-${notice}`}, 'opened', 'major', '{}', '{}', 'planning', true)`.execute(
    db,
  );
  return notice;
}

function printTable(results: Map<string, number[][]>, rows: number, runs: number): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const lines = [
    `PostgreSQL backend CPU seconds for ${rows.toLocaleString('en')} deliveries, median of ${runs} runs`,
    '',
    `${'path'.padEnd(34)}${'planning'.padStart(10)}${'sending'.padStart(10)}${'merge'.padStart(10)}${'total'.padStart(10)}${'µs/row'.padStart(9)}${'wall s'.padStart(9)}`,
  ];
  for (const path of PATHS) {
    const figures = results.get(path.name) ?? [];
    const [plan, send, merge, wall] = [0, 1, 2, 3].map((k) => median(figures.map((f) => f[k])));
    const total = median(figures.map((f) => f[0] + f[1] + f[2]));
    lines.push(
      `${path.name.padEnd(34)}${plan.toFixed(2).padStart(10)}${send.toFixed(2).padStart(10)}${merge.toFixed(2).padStart(10)}${total.toFixed(2).padStart(10)}${((total * 1e6) / rows).toFixed(1).padStart(9)}${wall.toFixed(1).padStart(9)}`,
    );
  }
  lines.push('', ...PATHS.map((p) => `${p.name}: ${p.what}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench:ledger failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
