import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { QueueName } from '../../src/queues/jobs';
import { withQueues } from '../support/queue-control';
import { BenchProcess, entryOf, freePort, poll, ROOT } from './processes';
import { parseReport, ReportLine } from './protocol';
import { SimulatorAdmin } from './sampler';

const AVISO_QUEUES = Object.values(QueueName);

export interface StackSettings {
  databaseUrl: string;
  redisUrl: string;
  /** Aviso's BullMQ prefix for this run. */
  queuePrefix: string;
  pushConcurrency: number;
  smsConcurrency: number;
  latencyMs: number;
  logDir: string;
  /** Write V8 CPU profiles of the API, the worker, the ceiling and the naive design into this folder. */
  profileDir?: string;
}

/** Every process the benchmark started, so a failure anywhere still stops them all. */
export class ProcessRegistry {
  private readonly started: BenchProcess[] = [];

  /** An interrupted benchmark (Ctrl-C, a kill) stops what it started instead of leaving it running. */
  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void this.stopAll().finally(() => process.exit(130)));
  }

  add(process: BenchProcess): BenchProcess {
    this.started.push(process);
    return process;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((p) => p.stop('SIGTERM', 5_000).catch(() => undefined)));
  }
}

/**
 * Aviso's environment for the benchmark: production processes, provider rate limits far above what is reached, and no
 * per-key API rate (the API benchmark measures what the API can take from one key).
 */
export function avisoEnv(
  settings: StackSettings,
  sims: SimulatorAdmin,
  apiPort: number,
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: settings.queuePrefix,
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
    FCM_BASE_URL: sims.fcmUrl,
    TWILIO_BASE_URL: sims.twilioUrl,
    PUSH_RATE_PER_SEC: '100000000',
    SMS_RATE_PER_SEC: '100000000',
    API_RATE_PER_KEY: '0',
    // The benchmark measures sending, not waiting for a second person.
    APPROVAL_THRESHOLD: '100000000',
    // The designs compared send at once; held deliveries would measure the clock, not the pipeline.
    QUIET_HOURS: '',
    WORKER_PUSH_CONCURRENCY: String(settings.pushConcurrency),
    WORKER_SMS_CONCURRENCY: String(settings.smsConcurrency),
  };
}

/** Both provider simulators in their own process; status callbacks go to `callbackOrigin`. */
export async function startSimulators(
  registry: ProcessRegistry,
  settings: StackSettings,
  phase: string,
  callbackOrigin: string,
): Promise<{ process: BenchProcess; admin: SimulatorAdmin }> {
  let urls: ReportLine | undefined;
  const sims = registry.add(
    BenchProcess.start(`simulators (${phase})`, 'src/simulators/run', {
      env: {},
      args: ['--callback-origin', callbackOrigin, '--record-cap', '0'],
      logFile: join(settings.logDir, `${phase}-simulators.log`),
      onLine: (line) => {
        if (line.startsWith('{"event":"listening"')) urls = JSON.parse(line) as ReportLine;
      },
    }),
  );
  const listening = await poll(
    'the simulators to listen',
    () => {
      if (!sims.running) throw new Error(`the simulators exited; see ${sims.logFile}`);
      return urls;
    },
    30_000,
  );
  const admin = new SimulatorAdmin(String(listening.fcmUrl), String(listening.twilioUrl));
  for (const origin of [admin.fcmUrl, admin.twilioUrl]) {
    const res = await fetch(`${origin}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: settings.latencyMs }),
    });
    if (!res.ok) throw new Error(`could not set the simulator latency: ${res.status}`);
  }
  return { process: sims, admin };
}

/** V8 profiles are written on a normal exit; the preload turns SIGUSR2 into one. */
function profileArgs(settings: StackSettings): string[] {
  if (!settings.profileDir) return [];
  return ['-r', entryOf('test/bench/exit-on-signal'), '--cpu-prof', '--cpu-prof-dir', settings.profileDir];
}

/**
 * The heap settings of package.json's start scripts (its `config.nodeArgs`), so the benchmark measures what runs. The
 * ceiling and the naive design get them too: a third of these sends' CPU is garbage collection, which the flags change.
 */
const PRODUCTION_NODE_ARGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { config: { nodeArgs: string } }
).config.nodeArgs.split(' ');

export async function startApi(
  registry: ProcessRegistry,
  settings: StackSettings,
  env: Record<string, string>,
  phase: string,
): Promise<BenchProcess> {
  const api = registry.add(
    BenchProcess.start('api', 'src/main', {
      env,
      nodeArgs: [...PRODUCTION_NODE_ARGS, ...profileArgs(settings)],
      logFile: join(settings.logDir, `${phase}-api.log`),
    }),
  );
  await answering(api, env);
  return api;
}

/** `count` API processes on one port (test/bench/api-cluster.ts): the primary, and the pids that serve. */
export async function startApiProcesses(
  registry: ProcessRegistry,
  settings: StackSettings,
  env: Record<string, string>,
  phase: string,
  count: number,
): Promise<{ primary: BenchProcess; servers: number[] }> {
  let servers: number[] | undefined;
  const primary = registry.add(
    BenchProcess.start('api', 'test/bench/api-cluster', {
      env: { ...env, BENCH_API_PROCESSES: String(count) },
      nodeArgs: [...PRODUCTION_NODE_ARGS, ...profileArgs(settings)],
      logFile: join(settings.logDir, `${phase}-api.log`),
      onLine: (line) => {
        const report = parseReport(line);
        if (report?.bench === 'workers') servers = report.pids as number[];
      },
    }),
  );
  await answering(primary, env);
  return { primary, servers: await poll('the API workers to listen', () => servers, 60_000) };
}

async function answering(api: BenchProcess, env: Record<string, string>): Promise<void> {
  const url = `http://127.0.0.1:${env.PORT}`;
  await poll(
    'the API to answer /health',
    async () => {
      if (!api.running) throw new Error(`the API exited; see ${api.logFile}`);
      const res = await fetch(`${url}/health`).catch(() => null);
      return res?.ok ? true : undefined;
    },
    60_000,
    200,
  );
}

/**
 * Starts a worker; ready once BullMQ sees `consumers` workers on each queue it consumes (`WORKER_QUEUES` of its env,
 * else all): this one and those already running.
 */
export async function startWorker(
  registry: ProcessRegistry,
  settings: StackSettings,
  env: Record<string, string>,
  consumers = 1,
  name = 'worker',
): Promise<BenchProcess> {
  const worker = registry.add(
    BenchProcess.start(name, 'src/worker', {
      env,
      nodeArgs: [...PRODUCTION_NODE_ARGS, ...profileArgs(settings)],
      logFile: join(settings.logDir, `aviso-${name}.log`),
    }),
  );
  const served = env.WORKER_QUEUES?.split(',') ?? AVISO_QUEUES;
  // Not a log line: LOG_LEVEL may hide it.
  await withQueues(settings.redisUrl, settings.queuePrefix, served, (queues) =>
    poll(
      'the worker to consume every queue',
      async () => {
        if (!worker.running) throw new Error(`the worker exited; see ${worker.logFile}`);
        const counts = await Promise.all(queues.map((q) => q.getWorkersCount()));
        return counts.every((n) => n >= consumers) ? true : undefined;
      },
      60_000,
      200,
    ),
  );
  return worker;
}

/** Stops a process that may be profiled: SIGUSR2 lets it exit normally so its profile is written. */
export function stopProfiled(settings: StackSettings, process: BenchProcess): Promise<void> {
  return process.stop(settings.profileDir ? 'SIGUSR2' : 'SIGTERM', 30_000);
}

/** An admin API key made by the CLI against the benchmark database (its last line of output is the key). */
export async function createApiKey(settings: StackSettings, env: Record<string, string>): Promise<string> {
  const lines: string[] = [];
  const cli = BenchProcess.start('cli', 'src/cli', {
    env: { ...env, LOG_LEVEL: 'warn' },
    args: ['keys:create', '--name', 'bench', '--scopes', 'admin'],
    logFile: join(settings.logDir, 'cli.log'),
    onLine: (line) => lines.push(line),
  });
  const code = await cli.waitForExit(60_000);
  const key = lines.filter((l) => l.trim()).pop();
  if (code !== 0 || !key) throw new Error(`keys:create failed (exit ${code}); see ${cli.logFile}`);
  return `Bearer ${key.trim()}`;
}

/** Starts a benchmark child (ceiling, naive) and collects its report lines. */
export function startReporter(
  registry: ProcessRegistry,
  settings: StackSettings,
  name: string,
  path: string,
  env: Record<string, string>,
): { process: BenchProcess; reports: ReportLine[] } {
  const reports: ReportLine[] = [];
  const process = registry.add(
    BenchProcess.start(name, path, {
      env,
      nodeArgs: [...PRODUCTION_NODE_ARGS, ...profileArgs(settings)],
      logFile: join(settings.logDir, `${name}.log`),
      onLine: (line) => {
        const report = parseReport(line);
        if (report) reports.push(report);
      },
    }),
  );
  return { process, reports };
}

/** A loopback port nothing listens on: where the simulators' status callbacks go when no API runs. */
export async function deadOrigin(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** Removes every key under a BullMQ prefix (and the rate limiter's keys beside them). */
export async function clearPrefix(redis: Redis, prefix: string): Promise<void> {
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
}
