import { parseArgs } from 'node:util';

export interface BenchOptions {
  customers: number;
  /** Share of the audience reachable by push; the rest is reachable by SMS only (see bench-directory.ts). */
  mix: number;
  latencyMs: number;
  out?: string;
  pushConcurrency: number;
  smsConcurrency: number;
  profile: boolean;
  /** Run Aviso's planning in a worker process of its own, beside the one that sends. */
  plannerProcess: boolean;
  /** Leave the naive design out: a quicker Aviso-against-ceiling comparison while tuning. */
  skipNaive: boolean;
  /** Import the directory again even when the database already holds it. */
  reseed: boolean;
  /** Import the directory again, print its figures and stop: no preview, no designs. */
  importOnly: boolean;
  redisUrl: string;
}

export const BENCH_USAGE = `Usage: npm run bench -- [--customers N] [--mix 0.8] [--latency MS] [--out FILE]
  [--push-concurrency 4] [--sms-concurrency 4] [--profile] [--planner-process] [--skip-naive]
  [--reseed]
  --customers  synthetic directory size (default 100000); the database aviso_bench_<N>_m<mix> is kept for reuse
  --mix        share of customers reachable by push, the rest by SMS only (default 0.8)
  --latency    provider simulator latency in ms (default 0)
  --out        results JSON (default bench-results/bench-<N>.json); the SVG chart is written next to it
  --push-concurrency / --sms-concurrency  WORKER_*_CONCURRENCY, used by all three designs
  --profile    write V8 CPU profiles of Aviso's API and worker, the ceiling and the naive processes next to the logs
  --planner-process  run Aviso with two workers: one consuming the planning queue, one the push and SMS queues
  --skip-naive leave the naive design out (its run is the longest); its columns and targets are not shown
  --reseed     import the directory again even when the kept database already holds it
  --import-only  import the directory again into an emptied directory, print the import line and stop`;

function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} ${value} is not valid.\n${BENCH_USAGE}`);
  return n;
}

export function parseBenchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      mix: { type: 'string' },
      latency: { type: 'string' },
      out: { type: 'string' },
      'push-concurrency': { type: 'string' },
      'sms-concurrency': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'planner-process': { type: 'boolean', default: false },
      'skip-naive': { type: 'boolean', default: false },
      reseed: { type: 'boolean', default: false },
      'import-only': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    process.exit(0);
  }
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  return {
    customers: numberOption(values.customers, 'customers', 100_000, positiveInt),
    mix: numberOption(values.mix, 'mix', 0.8, (n) => n >= 0 && n <= 1),
    latencyMs: numberOption(values.latency, 'latency', 0, (n) => n >= 0),
    out: values.out,
    pushConcurrency: numberOption(values['push-concurrency'], 'push-concurrency', 4, positiveInt),
    smsConcurrency: numberOption(values['sms-concurrency'], 'sms-concurrency', 4, positiveInt),
    profile: values.profile ?? false,
    plannerProcess: values['planner-process'] ?? false,
    skipNaive: values['skip-naive'] ?? false,
    reseed: (values.reseed ?? false) || (values['import-only'] ?? false),
    importOnly: values['import-only'] ?? false,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
