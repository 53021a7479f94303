import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NoticeApprovals } from '../approvals/notice-approvals';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { timeBatch } from '../metrics/metrics';
import { NoticeOutbox } from '../notices/notice-outbox';
import { JobWorkers } from '../queues/job-workers';
import { JobName, QueueName } from '../queues/jobs';
import { BatchRecovery } from './batch-recovery';
import { CarrierReportLedger } from '../ledger/carrier-reports.ledger';
import { NoticeCompletion } from './notice-completion';
import { NoticePlanner } from './notice-planner';
import { PushBatchSender } from './push-batch.sender';
import { SmsBatchSender } from './sms-batch.sender';

/** The worker process's job loop: consumes the planning, push and SMS queues, and sweeps for lost work. */
@Injectable()
export class DispatchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchWorker.name);
  private sweeper?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly workers: JobWorkers,
    private readonly planner: NoticePlanner,
    private readonly pushSender: PushBatchSender,
    private readonly smsSender: SmsBatchSender,
    private readonly recovery: BatchRecovery,
    private readonly completion: NoticeCompletion,
    private readonly reports: CarrierReportLedger,
    private readonly outbox: NoticeOutbox,
    private readonly approvals: NoticeApprovals,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const env = this.config.env;
    this.workers.start(
      {
        [JobName.PlanNotice]: (data, ctx) => this.planner.plan(data.noticeId, ctx),
        [JobName.SendPushBatch]: (data, ctx) =>
          timeBatch('push', () => this.pushSender.send(data.noticeId, data.batch, ctx)),
        [JobName.SendSmsBatch]: (data, ctx) =>
          timeBatch('sms', () => this.smsSender.send(data.noticeId, data.batch, ctx)),
      },
      {
        concurrency: {
          [QueueName.Planning]: env.WORKER_PLAN_CONCURRENCY,
          [QueueName.Push]: env.WORKER_PUSH_CONCURRENCY,
          [QueueName.Sms]: env.WORKER_SMS_CONCURRENCY,
        },
        queues: env.WORKER_QUEUES,
        lockMs: env.WORKER_LOCK_MS,
      },
    );
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), env.RECOVERY_INTERVAL_SECONDS * 1000);
    this.logger.log(`Worker consuming ${env.WORKER_QUEUES.join(', ')} jobs`);
  }

  /** Re-queues notices whose planning job was never queued and batches whose job was lost; applies early carrier reports; completes drained notices; expires unapproved ones. */
  sweep(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        const planned = await this.outbox.requeuePlanning();
        const batches = await this.recovery.requeueIdle(this.config.env.RECOVERY_IDLE_SECONDS);
        const reports = await this.reports.sweepWaitingReports(this.config.env.CARRIER_REPORT_WAIT_SECONDS);
        if (reports)
          this.logger.log(`Applied ${reports} carrier reports that arrived before their send was recorded`);
        await this.completion.sweep();
        await this.approvals.expireOverdue();
        if (planned || batches)
          this.logger.warn(`Recovery re-queued ${planned} plannings and ${batches} batches`);
      } catch (err) {
        this.logger.error(`Recovery sweep failed: ${(err as Error).message}`);
      } finally {
        this.sweeping = undefined;
      }
    })();
    return this.sweeping;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
    await this.workers.close();
    await this.completion.flush();
    this.logger.log('Worker stopped: batches in flight finished and recorded');
  }
}
