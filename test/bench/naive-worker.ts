import 'reflect-metadata';
import { Job, Worker } from 'bullmq';
import { loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/database.factory';
import { resolvePushSettings, resolveSmsSettings } from '../../src/providers/provider-settings';
import { PushResult, PushSender } from '../../src/providers/push/push-sender';
import { SmsResult, SmsSender } from '../../src/providers/sms/sms-sender';
import { NoticeMessages } from './audience-recipients';
import {
  NAIVE_PUSH_QUEUE,
  NAIVE_SMS_QUEUE,
  NaivePushJob,
  NaiveSmsJob,
  naivePrefix,
  naiveRedis,
} from './naive-queue';
import { peakRssOf } from './processes';
import { emptyTally, report, SMS_IN_FLIGHT_PER_BATCH, tallyPush, tallySms } from './protocol';

const PROGRESS_MS = 250;
const retryable = (r: PushResult | SmsResult) =>
  !r.ok && (r.outcome === 'transient' || r.outcome === 'rate-limited');

/**
 * The naive design's consumer: one job, one send. Its concurrency gives it as many provider requests in flight as
 * Aviso's worker allows (WORKER_PUSH_CONCURRENCY × 500 push, WORKER_SMS_CONCURRENCY × 50 SMS), through the same SDK
 * configuration. Reports progress until SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const env = config.env;
  const { db } = openDatabase(env);
  const notice = await db
    .selectFrom('notices')
    .selectAll()
    .where('id', '=', process.env.BENCH_NOTICE_ID ?? '')
    .executeTakeFirstOrThrow();
  await db.destroy();
  const messages = new NoticeMessages(notice, config);
  const push = PushSender.open(resolvePushSettings(env) ?? missing('FCM_BASE_URL'));
  const sms = SmsSender.open(resolveSmsSettings(env) ?? missing('TWILIO_BASE_URL'));
  const tally = emptyTally();
  let lastAt: number | null = null;
  const final = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const prefix = naivePrefix();

  const pushWorker = new Worker<NaivePushJob>(
    NAIVE_PUSH_QUEUE,
    async (job) => {
      const results = await push.sendBatch(job.data.tokens.map((t) => messages.push(job.data.reader, t)));
      if (!results.some((r) => r.ok) && results.some(retryable) && !final(job)) throw new Error('retry');
      tallyPush(tally, results);
      lastAt = Date.now();
    },
    { connection: naiveRedis(), prefix, concurrency: env.WORKER_PUSH_CONCURRENCY * 500 },
  );
  const smsWorker = new Worker<NaiveSmsJob>(
    NAIVE_SMS_QUEUE,
    async (job) => {
      const result = await sms.send(messages.sms(job.data.reader, job.data.phone));
      if (retryable(result) && !final(job)) throw new Error('retry');
      tallySms(tally, result);
      lastAt = Date.now();
    },
    { connection: naiveRedis(), prefix, concurrency: env.WORKER_SMS_CONCURRENCY * SMS_IN_FLIGHT_PER_BATCH },
  );
  const progress = () => report('progress', { tally, lastAt, peakRssMb: peakRssOf(process.pid) });
  const timer = setInterval(progress, PROGRESS_MS);
  report('ready', {});
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void (async () => {
      await Promise.all([pushWorker.close(), smsWorker.close()]);
      progress();
      await push.close();
      sms.close();
      process.exit(0);
    })();
  });
}

function missing(name: string): never {
  throw new Error(`the naive worker needs ${name}`);
}

main().catch((err: Error) => {
  process.stderr.write(`naive worker failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
