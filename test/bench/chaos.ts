import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchEvent, measurePreview, postJson } from './aviso-run';
import { BenchDb, dropDatabase, ensureDatabase } from './bench-database';
import { importDirectory, removeFile, writeDirectoryFile } from './bench-directory';
import {
  avisoEnv,
  createApiKey,
  ProcessRegistry,
  StackSettings,
  startApi,
  startSimulators,
  startWorker,
} from './bench-stack';
import { ChaosOutcome, ChaosReport, ledgerOutcome, renderReport } from './chaos-report';
import { BenchProcess, freePort, poll, ROOT } from './processes';
import { RedisServer } from './redis-server';

const USAGE = `Usage: npm run chaos -- [--customers N] [--pace SECONDS] [--out FILE]
  --customers  synthetic directory size (default 100000), in a database of its own that is dropped afterwards
  --pace       the send rates are set so the notice lasts at least this long, leaving room for the faults (default 60)
  --out        also write the outcome as JSON to this file`;

/** What the simulators do wrong, per provider request. */
const FAULTS = {
  errorRate: 0.05,
  errorStatus: 500,
  rateLimitRate: 0.01,
  retryAfterSeconds: 1,
  hangRate: 0.01,
};
const WORKERS = 2;
const PUSH_CONCURRENCY = 4;
const SMS_CONCURRENCY = 4;
const BATCH = 500;
const WORKER_KILLS = 3;
/** Longer than every wait in the run's settings: the last back-off (16 s), a lock (10 s), a recovery sweep (35 s). */
const STALL_MS = 180_000;

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      customers: { type: 'string', default: '100000' },
      pace: { type: 'string', default: '60' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const customers = Number(values.customers);
  const pace = Number(values.pace);
  if (!Number.isInteger(customers) || customers <= 0 || !(pace > 0)) throw new Error(USAGE);
  return { customers, pace, out: values.out };
}

/**
 * `npm run chaos`: one notice through the API and two workers as real processes, a Redis of its own with its
 * append-only file, and simulators that fail 5% of requests with a 500, 1% with a 429 and leave 1% hanging. While
 * the notice is sent, one worker is SIGKILLed three times (a new one started each time) and Redis is killed and
 * restarted once. Prints each recipient's final state: every reachable customer must end sent or delivered, or
 * failed with a reason (0 lost), with no more messages sent twice than the documented in-flight bound. Exits 1
 * otherwise.
 */
async function main(): Promise<void> {
  const { customers, pace, out } = options();
  const runId = `${process.pid}-${Date.now().toString(36)}`;
  const logDir = resolve(ROOT, `bench-results/chaos-${customers}-logs`);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const log = (text: string) => process.stdout.write(`[chaos] ${text}\n`);
  const databaseName = `aviso_chaos_${process.pid}`;
  const registry = new ProcessRegistry();
  const redis = await RedisServer.start(join(logDir, 'redis.log'));
  let db: BenchDb | undefined;
  try {
    const settings: StackSettings = {
      databaseUrl: await ensureDatabase(databaseName),
      redisUrl: redis.url,
      queuePrefix: `{aviso-chaos-${runId}}`,
      pushConcurrency: PUSH_CONCURRENCY,
      smsConcurrency: SMS_CONCURRENCY,
      latencyMs: 5,
      logDir,
    };
    db = await BenchDb.open(settings.databaseUrl);
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const sims = await startSimulators(registry, settings, 'chaos', apiUrl);
    const baseEnv = avisoEnv(settings, sims.admin, apiPort);
    const api = await startApi(registry, settings, baseEnv, 'chaos');
    const authorization = await createApiKey(settings, baseEnv);
    log(`redis-server on port ${redis.port} (append-only), database ${databaseName}`);

    const file = await writeDirectoryFile({ customers, mix: 0.8, now: new Date() });
    const imported = await importDirectory(apiUrl, authorization, file).finally(() => removeFile(file));
    log(`directory: ${imported.accepted} customers imported in ${imported.seconds.toFixed(1)} s`);
    const event = benchEvent(runId);
    const preview = await measurePreview(apiUrl, authorization, event, 1);
    const reachable = preview.push + preview.smsOnly;
    log(`audience: ${preview.total} (${preview.push} by push, ${preview.smsOnly} by SMS only)`);

    // Faults only now: the import and preview above are not what this run tests.
    for (const origin of [sims.admin.fcmUrl, sims.admin.twilioUrl]) {
      const res = await fetch(`${origin}/__sim/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(FAULTS),
      });
      if (!res.ok) throw new Error(`could not set the simulator faults: ${res.status}`);
    }
    const workerEnv = {
      ...baseEnv,
      // Paced so the notice outlasts the faults below; shorter bounds than production so retries come soon.
      PUSH_RATE_PER_SEC: String(Math.max(1, Math.ceil(preview.push / pace))),
      SMS_RATE_PER_SEC: String(Math.max(1, Math.ceil(preview.smsOnly / pace))),
      PUSH_SEND_TIMEOUT_MS: '5000',
      SMS_SEND_TIMEOUT_MS: '5000',
      SEND_BACKOFF_MS: '500',
      WORKER_LOCK_MS: '10000',
      RECOVERY_INTERVAL_SECONDS: '5',
      RECOVERY_IDLE_SECONDS: '30',
      WORKER_METRICS_PORT: '0',
    };
    const workers: BenchProcess[] = [];
    for (let i = 1; i <= WORKERS; i++) workers.push(await startWorker(registry, settings, workerEnv, i));

    const res = await postJson(`${apiUrl}/v1/events`, authorization, event);
    if (res.status !== 202) throw new Error(`the event answered ${res.status}: ${await res.text()}`);
    const { noticeId } = (await res.json()) as { noticeId: string };
    const startedAt = Date.now();
    log(`notice ${noticeId} accepted; ${reachable} reachable recipients`);
    const done = async () => (await db!.notice(noticeId)).state === 'done';

    const chaos: string[] = [];
    const at = (text: string) => {
      const line = `${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${text}`;
      chaos.push(line);
      log(line);
    };
    // Spread over the paced part of the notice; each step waits for the previous one's replacement to consume.
    const stepMs = (pace * 1000) / (WORKER_KILLS + 2);
    for (let kill = 1; kill <= WORKER_KILLS; kill++) {
      await sleep(stepMs);
      if (await done()) break;
      const victim = workers.shift()!;
      await victim.stop('SIGKILL', 0);
      at(`SIGKILL worker pid ${victim.pid} (${kill} of ${WORKER_KILLS})`);
      workers.push(await startWorker(registry, settings, workerEnv, WORKERS));
      at(`worker pid ${workers[workers.length - 1].pid} started and consuming`);
    }
    await sleep(stepMs);
    if (!(await done())) {
      await redis.crashAndRestart();
      at('Redis killed and restarted on its append-only file');
    }
    const kills = chaos.filter((c) => c.includes('SIGKILL')).length;
    const redisRestarts = chaos.filter((c) => c.includes('Redis')).length;

    // A notice that stops moving is the failure this run looks for: say where its recipients are, not just wait.
    let moved = { at: Date.now(), mark: '' };
    await poll(
      `notice ${noticeId} to be done`,
      async () => {
        if (!api.running) throw new Error('the API exited during the run');
        if (await done()) return true;
        const ledger = await db!.ledger(noticeId);
        const mark = JSON.stringify(ledger.byState);
        if (mark !== moved.mark) moved = { at: Date.now(), mark };
        else if (Date.now() - moved.at > STALL_MS)
          throw new Error(`notice ${noticeId} stalled for ${STALL_MS / 1000} s with its rows at ${mark}`);
        return undefined;
      },
      6 * 3600_000,
      1_000,
    );
    const seconds = (Date.now() - startedAt) / 1000;
    const stats = await sims.admin.stats();
    const outcome: ChaosOutcome = await ledgerOutcome(settings.databaseUrl, noticeId, reachable, {
      push: stats.fcm.accepted,
      sms: stats.twilio.accepted,
    });
    // Each killed worker may resend what it had in flight; a Redis crash may do that to every worker.
    const inFlight = PUSH_CONCURRENCY * BATCH + SMS_CONCURRENCY * BATCH;
    const bound = (kills + redisRestarts * WORKERS) * inFlight;
    const complete = kills === WORKER_KILLS && redisRestarts === 1;
    const report: ChaosReport = {
      customers,
      reachable,
      seconds,
      chaos,
      faults: FAULTS,
      providerRequests: { push: stats.fcm.byStatus, sms: stats.twilio.byStatus },
      ...outcome,
      duplicateBound: bound,
    };
    process.stdout.write(`\n${renderReport(report)}\n`);
    if (out) {
      mkdirSync(dirname(resolve(out)), { recursive: true });
      writeFileSync(resolve(out), `${JSON.stringify(report, null, 2)}\n`);
    }
    const problems = [
      ...(outcome.lost ? [`${outcome.lost} recipients lost`] : []),
      ...(outcome.duplicates > bound ? [`${outcome.duplicates} duplicates over the bound of ${bound}`] : []),
      ...(complete ? [] : ['the notice finished before every fault was applied; raise --pace']),
    ];
    if (problems.length) throw new Error(problems.join('; '));
  } catch (err) {
    // Said before the clean-up, which may itself wait on what failed.
    log(`failed: ${(err as Error).stack ?? (err as Error).message}`);
    throw err;
  } finally {
    await registry.stopAll();
    await redis.stop();
    await db?.close();
    await dropDatabase(databaseName).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`chaos failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
