import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig } from '../../src/config/app-config';
import { QueueName } from '../../src/queues/jobs';
import { until } from './until';

/** Opens the named queues on a Redis connection of their own for `use`, then closes both. */
export async function withQueues<T>(
  redisUrl: string,
  prefix: string,
  names: readonly string[],
  use: (queues: Queue[]) => Promise<T>,
): Promise<T> {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  try {
    return await use(queues);
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
    connection.disconnect();
  }
}

/** Holds a queue's jobs in wait while a test arranges what should happen before they run. */
export function withQueuePaused<T>(config: AppConfig, name: QueueName, run: () => Promise<T>): Promise<T> {
  return withQueues(config.env.REDIS_URL, config.env.QUEUE_PREFIX, [name], async ([queue]) => {
    await queue.pause();
    try {
      return await run();
    } finally {
      await queue.resume();
    }
  });
}

/** Resolves once the queue has no job waiting, delayed or running. */
export function waitForDrained(config: AppConfig, name: QueueName, timeoutMs = 10_000): Promise<void> {
  return withQueues(config.env.REDIS_URL, config.env.QUEUE_PREFIX, [name], ([queue]) =>
    until(
      `queue ${name} to drain`,
      async () => {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      },
      timeoutMs,
      50,
    ),
  );
}
