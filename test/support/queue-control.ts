import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig } from '../../src/config/app-config';
import { QueueName } from '../../src/queues/jobs';
import { until } from '../simulators/until';

/** Holds a queue's jobs in wait while a test arranges what should happen before they run. */
export async function withQueuePaused<T>(
  config: AppConfig,
  name: QueueName,
  run: () => Promise<T>,
): Promise<T> {
  const connection = new IORedis(config.env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix: config.env.QUEUE_PREFIX });
  await queue.pause();
  try {
    return await run();
  } finally {
    await queue.resume();
    await queue.close();
    connection.disconnect();
  }
}

/** Resolves once the queue has no job waiting, delayed or running. */
export async function waitForDrained(config: AppConfig, name: QueueName, timeoutMs = 10_000): Promise<void> {
  const connection = new IORedis(config.env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix: config.env.QUEUE_PREFIX });
  try {
    await until(
      `queue ${name} to drain`,
      async () => {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      },
      timeoutMs,
      50,
    );
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
