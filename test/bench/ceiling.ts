import 'reflect-metadata';
import { loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/database.factory';
import { resolvePushSettings, resolveSmsSettings } from '../../src/providers/provider-settings';
import { MAX_PUSH_BATCH, PushResult, PushSender } from '../../src/providers/push/push-sender';
import { SmsSender } from '../../src/providers/sms/sms-sender';
import { NoticeMessages, PushRecipient, recipientPages, SmsRecipient } from './audience-recipients';
import { ownCpuSeconds } from './cpu-meter';
import { peakRssOf } from './processes';
import { emptyTally, report, SendTally, SMS_IN_FLIGHT_PER_BATCH, tallyPush, tallySms } from './protocol';
import { WorkPool } from './work-pool';

/** Batches buffered per medium ahead of the senders: enough that the audience stream never starves them. */
const BACKLOG = 64;

/**
 * The ceiling: the fastest this machine sends the notice's audience. It streams the same audience from PostgreSQL
 * and sends through the same SDK configuration (PushSender / SmsSender from the same environment) with the same
 * concurrency as Aviso's worker — WORKER_PUSH_CONCURRENCY sendEach batches of ≤ 500 and WORKER_SMS_CONCURRENCY SMS
 * batches of 50 in flight — with no queue, no ledger and no retries. Reads BENCH_NOTICE_ID and Aviso's variables.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const env = config.env;
  const { db } = openDatabase(env);
  const push = PushSender.open(required(resolvePushSettings(env), 'FCM_BASE_URL'));
  const sms = SmsSender.open(required(resolveSmsSettings(env), 'TWILIO_BASE_URL'));
  const notice = await db
    .selectFrom('notices')
    .selectAll()
    .where('id', '=', required(process.env.BENCH_NOTICE_ID, 'BENCH_NOTICE_ID'))
    .executeTakeFirstOrThrow();
  const messages = new NoticeMessages(notice, config);
  const tally = emptyTally();
  const pushPool = new WorkPool(env.WORKER_PUSH_CONCURRENCY, BACKLOG);
  const smsPool = new WorkPool(env.WORKER_SMS_CONCURRENCY, BACKLOG);

  const sendPush = async (recipients: PushRecipient[]) => {
    const addressed = recipients.flatMap((r, i) =>
      r.tokens.map((t) => ({ i, message: messages.push(r.reader, t) })),
    );
    const results: PushResult[] = [];
    for (let at = 0; at < addressed.length; at += MAX_PUSH_BATCH) {
      const chunk = addressed.slice(at, at + MAX_PUSH_BATCH);
      results.push(...(await push.sendBatch(chunk.map((a) => a.message))));
    }
    const perRecipient = recipients.map((): PushResult[] => []);
    addressed.forEach((a, k) => perRecipient[a.i].push(results[k]));
    for (const own of perRecipient) tallyPush(tally, own);
  };
  const sendSms = async (recipients: SmsRecipient[]) => {
    for (let at = 0; at < recipients.length; at += SMS_IN_FLIGHT_PER_BATCH) {
      const chunk = recipients
        .slice(at, at + SMS_IN_FLIGHT_PER_BATCH)
        .map((r) => messages.sms(r.reader, r.phone));
      for (const result of await sms.sendBatch(chunk, SMS_IN_FLIGHT_PER_BATCH)) tallySms(tally, result);
    }
  };

  const startedAt = Date.now();
  const cpuAtStart = ownCpuSeconds();
  report('started', { startedAt });
  for await (const page of recipientPages(db, notice)) {
    if (page.push.length) await pushPool.submit(() => sendPush(page.push));
    if (page.sms.length) await smsPool.submit(() => sendSms(page.sms));
  }
  await Promise.all([pushPool.drain(), smsPool.drain()]);
  const finishedAt = Date.now();
  report('done', {
    startedAt,
    finishedAt,
    tally: tally as SendTally,
    peakRssMb: peakRssOf(process.pid),
    cpuSeconds: ownCpuSeconds() - cpuAtStart,
  });
  await push.close();
  sms.close();
  await db.destroy();
}

function required<T>(value: T | null | undefined, name: string): T {
  if (value === null || value === undefined) throw new Error(`the ceiling needs ${name}`);
  return value;
}

main().catch((err: Error) => {
  process.stderr.write(`ceiling failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
