import cluster from 'node:cluster';
import { entryOf } from './processes';
import { report } from './protocol';

/**
 * `npm run bench:api -- --api-processes N`: N API processes sharing one port through node:cluster (the primary
 * hands each new connection to the next worker), so the benchmark can measure what more processes buy on this
 * machine. The primary only forks and forwards signals; it reports the workers' pids for the CPU meter.
 */
const count = Number(process.env.BENCH_API_PROCESSES ?? 2);

// A profiled primary is preloaded with exit-on-signal; here SIGUSR2 must reach the workers first.
process.removeAllListeners('SIGUSR2');
cluster.setupPrimary({ exec: entryOf('src/main'), execArgv: process.execArgv });
const workers = Array.from({ length: count }, () => cluster.fork());
let listening = 0;
cluster.on('listening', () => {
  if (++listening === count) report('workers', { pids: workers.map((w) => w.process.pid) });
});
cluster.on('exit', (worker, code) => {
  if (workers.every((w) => w.isDead())) process.exit(0);
  if (code !== 0) process.stderr.write(`API worker ${worker.process.pid} exited with ${code}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGUSR2'] as const) {
  process.on(signal, () => {
    for (const worker of workers) if (!worker.isDead()) worker.process.kill(signal);
  });
}
