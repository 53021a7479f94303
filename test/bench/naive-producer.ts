import 'reflect-metadata';
import { Queue } from 'bullmq';
import { loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/database.factory';
import { recipientPages } from './audience-recipients';
import {
  NAIVE_JOB_OPTIONS,
  NAIVE_PUSH_QUEUE,
  NAIVE_SMS_QUEUE,
  NaivePushJob,
  NaiveSmsJob,
  naivePrefix,
  naiveRedis,
} from './naive-queue';
import { ownCpuSeconds } from './cpu-meter';
import { peakRssOf } from './processes';
import { report } from './protocol';

/**
 * The naive design's fan-out, written the way a typical service writes it: stream the audience and `queue.add` one
 * job per recipient, awaiting each add. Streams the same audience as Aviso (BENCH_NOTICE_ID); its own prefix.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const { db } = openDatabase(config.env);
  const connection = naiveRedis();
  const prefix = naivePrefix();
  const pushQueue = new Queue<NaivePushJob>(NAIVE_PUSH_QUEUE, { connection, prefix });
  const smsQueue = new Queue<NaiveSmsJob>(NAIVE_SMS_QUEUE, { connection, prefix });
  const notice = await db
    .selectFrom('notices')
    .selectAll()
    .where('id', '=', process.env.BENCH_NOTICE_ID ?? '')
    .executeTakeFirstOrThrow();
  const enqueued = { push: 0, sms: 0, pushMessages: 0 };
  const startedAt = Date.now();
  const cpuAtStart = ownCpuSeconds();
  report('started', { startedAt });
  for await (const page of recipientPages(db, notice)) {
    for (const r of page.push) {
      await pushQueue.add('send-push', r, NAIVE_JOB_OPTIONS);
      enqueued.push++;
      enqueued.pushMessages += r.tokens.length;
    }
    for (const r of page.sms) {
      await smsQueue.add('send-sms', r, NAIVE_JOB_OPTIONS);
      enqueued.sms++;
    }
  }
  report('enqueued', {
    startedAt,
    finishedAt: Date.now(),
    enqueued,
    peakRssMb: peakRssOf(process.pid),
    cpuSeconds: ownCpuSeconds() - cpuAtStart,
  });
  await Promise.all([pushQueue.close(), smsQueue.close()]);
  connection.disconnect();
  await db.destroy();
}

main().catch((err: Error) => {
  process.stderr.write(`naive producer failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
