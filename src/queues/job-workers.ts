import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobQueue, REDIS } from './job-queue';
import { JobName, JobOf, QUEUE_OF, QueueName } from './jobs';
import { RedisClient } from './redis-connection';

/** What a handler may ask of the queue without importing bullmq. */
export interface JobContext {
  attemptsMade: number;
  /** True when a failure now is final: the handler should record its recipients as failed. */
  isFinalAttempt: boolean;
  /** True once the process is shutting down: a long job should stop at its next safe point and leave the rest. */
  stopping(): boolean;
  /** Pauses the whole queue (all processes) for `ms` and returns this job to wait without spending an attempt. */
  rateLimited(ms: number): Promise<never>;
}

/** One handler per job name, enforced by the type: a missing or extra name does not compile. */
type JobHandlers = { [K in JobName]: (data: JobOf<K>, ctx: JobContext) => Promise<void> };

interface WorkerSettings {
  concurrency: Record<QueueName, number>;
  /** The queues this process consumes; the others are left to other worker processes. */
  queues: readonly QueueName[];
  lockMs: number;
}

@Injectable()
export class JobWorkers {
  private readonly logger = new Logger(JobWorkers.name);
  private readonly workers: Worker[] = [];
  private closing = false;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueue,
  ) {}

  start(handlers: JobHandlers, settings: WorkerSettings): void {
    const names = Object.keys(handlers) as JobName[];
    for (const queueName of Object.values(QueueName)) {
      const served = names.filter((name) => QUEUE_OF[name] === queueName);
      if (!served.length) throw new Error(`Queue ${queueName} has no job handler`);
      if (!settings.queues.includes(queueName)) continue;
      const worker = new Worker(queueName, (job: Job) => this.run(handlers, job), {
        connection: this.redis.duplicate(),
        prefix: this.config.env.QUEUE_PREFIX,
        concurrency: settings.concurrency[queueName],
        // Manual rate limiting (queue.rateLimit) needs a limiter; this one never binds before the provider's does.
        limiter: { max: 100_000, duration: 1_000 },
        lockDuration: settings.lockMs,
        stalledInterval: settings.lockMs,
        maxStalledCount: 5,
      });
      worker.on('failed', (job, err) =>
        this.logger.warn(`${job?.name} ${job?.id} attempt ${job?.attemptsMade} failed: ${err.message}`),
      );
      worker.on('error', (err) => this.logger.error(`worker ${queueName}: ${err.message}`));
      this.workers.push(worker);
    }
  }

  private async run(handlers: JobHandlers, job: Job): Promise<void> {
    const name = job.name as JobName;
    const handler = handlers[name] as (data: unknown, ctx: JobContext) => Promise<void>;
    if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
    const attempts = job.opts.attempts ?? 1;
    const ctx: JobContext = {
      attemptsMade: job.attemptsMade,
      isFinalAttempt: job.attemptsMade + 1 >= attempts,
      stopping: () => this.closing,
      rateLimited: async (ms) => {
        await this.queues.queue(QUEUE_OF[name]).rateLimit(ms);
        throw Worker.RateLimitError();
      },
    };
    await handler(job.data, ctx);
  }

  /** Lets active jobs finish (their provider calls are bounded), then stops taking new ones. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.workers.map((w) => w.disconnect()));
    this.workers.length = 0;
  }
}
