import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JOB_OPTIONS } from './job-options';
import { JobItem, jobIdOf, QUEUE_OF, QueueName } from './jobs';

export const REDIS = Symbol('REDIS');

/** addBulk is pipelined, not atomic; chunks keep each call cheap and a failure small (ids make replays safe). */
const BULK_CHUNK = 1_000;

/** The producer side of every queue. Only this folder imports bullmq. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.config.env.QUEUE_PREFIX });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add(item: JobItem): Promise<void> {
    await this.queue(QUEUE_OF[item.name]).add(item.name, item.data, {
      ...JOB_OPTIONS[item.name],
      jobId: jobIdOf(item),
    });
  }

  /** Items may target different queues; each queue gets its own chunked addBulk. */
  async addBulk(items: JobItem[]): Promise<void> {
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
            opts: { ...JOB_OPTIONS[item.name], jobId: jobIdOf(item) },
          })),
        );
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
