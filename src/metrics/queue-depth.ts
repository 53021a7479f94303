import { Gauge } from 'prom-client';
import { withTimeout } from '../common/with-timeout';
import { PROBE_TIMEOUT_MS } from '../health/readiness';
import { JobQueue } from '../queues/job-queue';
import { QueueName } from '../queues/jobs';

const sources = new Set<JobQueue>();

/**
 * Backlog per queue, read from Redis when Prometheus scrapes: the number incident managers watch during a notice.
 * Each read is bounded like a health probe: while Redis is away the gauge is empty, and the scrape still answers.
 */
new Gauge({
  name: 'aviso_queue_jobs',
  help: 'Jobs per queue and state',
  labelNames: ['queue', 'state'] as const,
  async collect() {
    this.reset();
    const reads = [...sources].flatMap((queues) =>
      Object.values(QueueName).map(async (name) => ({ name, counts: await queues.counts(name) })),
    );
    const read = await withTimeout(Promise.all(reads), PROBE_TIMEOUT_MS).catch(() => []);
    for (const { name, counts } of read) {
      for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
    }
  },
});

/** Reports this process's queues on scrape until the returned function is called. */
export function watchQueueDepth(queues: JobQueue): () => void {
  sources.add(queues);
  return () => sources.delete(queues);
}
