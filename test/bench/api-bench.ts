import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import IORedis from 'ioredis';
import { BenchDb, dropDatabase, ensureDatabase } from './bench-database';
import {
  avisoEnv,
  clearPrefix,
  createApiKey,
  deadOrigin,
  ProcessRegistry,
  StackSettings,
  startApi,
  startApiProcesses,
  startReporter,
  stopProfiled,
} from './bench-stack';
import { CpuMeter } from './cpu-meter';
import { BenchProcess, freePort, peakRssOf, poll, ROOT } from './processes';
import { SimulatorAdmin } from './sampler';

const USAGE = `Usage: npm run bench:api -- [--duration S] [--connections N] [--api-processes N] [--out FILE] [--profile]
  The event API under load from autocannon (its own process), half of the requests repeating earlier event ids;
  then checks that each distinct event id has exactly one notice. Own database, no worker, empty directory.
  --api-processes N (default 1) serves from N API processes sharing the port through node:cluster.`;

/** `npm run bench:api`: requests/s and latency of POST /v1/events, and idempotency under that load. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '20' },
      'api-processes': { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench-results/bench-api.json' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const runId = `${process.pid}${Date.now().toString(36)}`;
  const out = resolve(ROOT, values.out ?? 'bench-results/bench-api.json');
  const logDir = join(dirname(out), `${basename(out, '.json')}-logs`);
  rmSync(logDir, { recursive: true, force: true });
  const databaseName = `aviso_benchapi_${runId}`;
  const settings: StackSettings = {
    databaseUrl: await ensureDatabase(databaseName),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    queuePrefix: `{aviso-benchapi-${runId}}`,
    pushConcurrency: 4,
    smsConcurrency: 4,
    latencyMs: 0,
    logDir,
    profileDir: values.profile ? join(logDir, 'profiles') : undefined,
  };
  const registry = new ProcessRegistry();
  const redis = new IORedis(settings.redisUrl);
  try {
    const apiPort = await freePort();
    const nowhere = await deadOrigin();
    const env = avisoEnv(settings, new SimulatorAdmin(nowhere, nowhere), apiPort);
    const apiProcesses = Number(values['api-processes']);
    if (!Number.isInteger(apiProcesses) || apiProcesses < 1)
      throw new Error('--api-processes takes a whole number ≥ 1');
    const { primary: api, servers } = await startServing(registry, settings, env, apiProcesses);
    const authorization = await createApiKey(settings, env);
    const meter = new CpuMeter(Object.fromEntries(servers.map((pid, i) => [`api${i}`, pid])), databaseName);
    // Backends that end during the run still count.
    const tracking = setInterval(() => meter.track(), 200);
    const load = startReporter(registry, settings, 'api-load', 'test/bench/api-load', {
      BENCH_API_URL: `http://127.0.0.1:${apiPort}`,
      BENCH_AUTHORIZATION: authorization,
      BENCH_DURATION: values.duration ?? '10',
      BENCH_CONNECTIONS: values.connections ?? '20',
    });
    const code = await load.process.waitForExit(10 * 60_000).finally(() => clearInterval(tracking));
    const done = await poll(
      'the load report',
      () => load.reports.find((r) => r.bench === 'done'),
      1_000,
    ).catch(() => undefined);
    if (code !== 0 || !done)
      throw new Error(`the load process failed (exit ${code}); see ${load.process.logFile}`);
    const apiPeakRssMb = Math.max(...servers.map((pid) => peakRssOf(pid) ?? 0));
    const cpu = meter.finish({ autocannon: Number(done.cpuSeconds) });
    const apiCpu = servers.reduce((sum, _, i) => sum + cpu.processes[`api${i}`], 0);
    const perRequestMs = (seconds: number) => Math.round((seconds * 1e6) / Number(done.total)) / 1000;
    const cpuMsPerRequest = { api: perRequestMs(apiCpu), postgres: perRequestMs(cpu.postgres) };
    await stopProfiled(settings, api);
    await registry.stopAll();
    const db = await BenchDb.open(settings.databaseUrl);
    const stored = await db.noticesPerEvent().finally(() => db.close());
    const accepted = Number(done.acceptedIds);
    const idempotent =
      stored.eventsWithoutOneNotice === 0 &&
      stored.events >= accepted &&
      stored.events <= Number(done.distinctIds);
    const results = {
      settings: { ...values, database: databaseName },
      load: done,
      stored,
      idempotent,
      apiPeakRssMb,
      cpu,
      cpuMsPerRequest,
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    const latency = done.latencyMs as { p50: number; p99: number };
    const rps = Number(done.requestsPerSecond);
    const sent = done.sent as { fresh: number; repeats: number };
    process.stdout.write(
      [
        `POST /v1/events, ${values.connections} connections, ${apiProcesses} API process` +
          `${apiProcesses > 1 ? 'es' : ''}, ${Number(done.duration).toFixed(1)} s ` +
          `(${sent.fresh} new events, ${sent.repeats} repeats of earlier ids)`,
        `  requests/s         ${Math.round(rps).toLocaleString('en')}  (${Number(done.total).toLocaleString('en')} requests)`,
        `  latency p50 / p99  ${latency.p50} ms / ${latency.p99} ms`,
        `  errors / non-2xx   ${done.errors} / ${done.non2xx}  (timeouts ${done.timeouts})`,
        `  status codes       ${JSON.stringify(done.statusCodes)}`,
        `  API peak RSS       ${apiPeakRssMb} MB${servers.length > 1 ? ' (largest process)' : ''}`,
        `  CPU seconds        API ${apiCpu.toFixed(2)}, PostgreSQL ${cpu.postgres}, Redis ${cpu.redis}, ` +
          `autocannon ${cpu.processes.autocannon}, outside the benchmark ${cpu.outside} (of ${cpu.capacity})`,
        `  CPU ms per request API ${cpuMsPerRequest.api.toFixed(3)}, PostgreSQL ${cpuMsPerRequest.postgres.toFixed(3)}`,
        `  stored             ${stored.events} events, ${stored.notices} notices; ` +
          `${stored.eventsWithoutOneNotice} events without exactly one notice; ${accepted} distinct ids answered 2xx`,
        '',
        'targets:',
        `  ${rps >= 1000 ? 'PASS' : 'FAIL'}  requests/s: ${Math.round(rps)} (target ≥ 1,000)`,
        `  ${latency.p99 <= 100 ? 'PASS' : 'FAIL'}  p99 latency: ${latency.p99} ms (target ≤ 100 ms)`,
        `  ${idempotent ? 'PASS' : 'FAIL'}  exactly one notice per distinct event id`,
        '',
        `results: ${out}`,
      ].join('\n') + '\n',
    );
  } finally {
    await registry.stopAll();
    await clearPrefix(redis, settings.queuePrefix).catch(() => undefined);
    redis.disconnect();
    await dropDatabase(databaseName);
  }
}

/** One API process as production runs it, or several on one port: the process to stop and the pids that serve. */
async function startServing(
  registry: ProcessRegistry,
  settings: StackSettings,
  env: Record<string, string>,
  count: number,
): Promise<{ primary: BenchProcess; servers: number[] }> {
  if (count > 1) return startApiProcesses(registry, settings, env, 'api-bench', count);
  const api = await startApi(registry, settings, env, 'api-bench');
  return { primary: api, servers: [api.pid] };
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench:api failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
