import { Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../queues/job-queue';
import { MetricsController } from './metrics.controller';
import { watchQueueDepth } from './queue-depth';

@Module({ controllers: [MetricsController] })
export class MetricsModule implements OnModuleInit, OnModuleDestroy {
  private unwatch?: () => void;

  constructor(private readonly queues: JobQueue) {}

  onModuleInit(): void {
    this.unwatch = watchQueueDepth(this.queues);
  }

  onModuleDestroy(): void {
    this.unwatch?.();
  }
}
