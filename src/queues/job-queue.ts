import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { withTimeout } from '../common/with-timeout';
import { jobOptions } from './job-options';
import { JobItem, jobIdOf, QUEUE_OF, QueueName } from './jobs';
import { RedisClient } from './redis-connection';

export const REDIS = Symbol('REDIS');

/** How long closing waits for Redis to answer before it lets go of the connection. */
export const SHUTDOWN_WAIT_MS = 2_000;

/** addBulk is pipelined, not atomic; chunks keep each call cheap and a failure small (ids make replays safe). */
const BULK_CHUNK = 1_000;

/** The producer side of every queue. Only this folder imports bullmq. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly options: ReturnType<typeof jobOptions>;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.options = jobOptions(config.env);
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.config.env.QUEUE_PREFIX });
      this.queues.set(name, queue);
    }
    return queue;
  }

  counts(name: QueueName): Promise<Record<string, number>> {
    return this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'paused', 'prioritized');
  }

  async add(item: JobItem): Promise<void> {
    await this.queue(QUEUE_OF[item.name]).add(item.name, item.data, {
      ...this.options[item.name],
      jobId: jobIdOf(item),
    });
  }

  /**
   * Items may target different queues; each queue gets its own chunked addBulk. `delayMs` holds them in BullMQ's
   * delayed set until then (quiet hours), so no worker sleeps on them.
   */
  async addBulk(items: JobItem[], delayMs = 0): Promise<void> {
    const byQueue = new Map<QueueName, JobItem[]>();
    for (const item of items) {
      const name = QUEUE_OF[item.name];
      byQueue.set(name, [...(byQueue.get(name) ?? []), item]);
    }
    for (const [name, list] of byQueue) {
      for (let i = 0; i < list.length; i += BULK_CHUNK) {
        await this.queue(name).addBulk(
          list.slice(i, i + BULK_CHUNK).map((item) => ({
            name: item.name,
            data: item.data,
            opts: {
              ...this.options[item.name],
              jobId: jobIdOf(item),
              ...(delayMs > 0 && { delay: delayMs }),
            },
          })),
        );
      }
    }
  }

  /**
   * Makes sure each job will run: adds it when absent, retries it when it failed for good (a worker killed on
   * its last attempt), and leaves it alone while it waits or runs. Used by recovery, not on the hot path.
   */
  async ensure(items: JobItem[]): Promise<number> {
    let revived = 0;
    for (const item of items) {
      const queue = this.queue(QUEUE_OF[item.name]);
      const job = await queue.getJob(jobIdOf(item));
      if (!job) {
        await this.add(item);
        revived++;
      } else if (await job.isFailed()) {
        await job.retry('failed');
        revived++;
      }
    }
    return revived;
  }

  /** Bounded like the connection's own close (QueuesModule): a Redis that is away must not hold up a stop. */
  async onApplicationShutdown(): Promise<void> {
    const closing = Promise.all([...this.queues.values()].map((q) => q.close()));
    await withTimeout(closing, SHUTDOWN_WAIT_MS).catch(() => undefined);
  }
}
