import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import { JobQueue } from './job-queue';
import { QueueName } from './jobs';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board over every queue: an operator sees what waits, runs and failed, and retries or removes a stuck job,
 * without redis-cli. Mount it behind an admin check; it has no authentication of its own.
 */
export function queueDashboard(queues: JobQueue): RequestHandler {
  const server = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter: server,
    options: { uiConfig: { boardTitle: 'Aviso queues' } },
  });
  return server.getRouter() as RequestHandler;
}
