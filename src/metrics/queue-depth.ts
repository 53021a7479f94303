import { Gauge } from 'prom-client';
import { JobQueue } from '../queues/job-queue';
import { QueueName } from '../queues/jobs';

const sources = new Set<JobQueue>();

/** Backlog per queue, read from Redis when Prometheus scrapes: the number incident managers watch during a notice. */
new Gauge({
  name: 'aviso_queue_jobs',
  help: 'Jobs per queue and state',
  labelNames: ['queue', 'state'] as const,
  async collect() {
    for (const queues of sources) {
      for (const name of Object.values(QueueName)) {
        const counts = await queues.counts(name);
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    }
  },
});

/** Reports this process's queues on scrape until the returned function is called. */
export function watchQueueDepth(queues: JobQueue): () => void {
  sources.add(queues);
  return () => sources.delete(queues);
}
