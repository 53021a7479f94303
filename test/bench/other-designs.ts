import type { Redis } from 'ioredis';
import { withQueues } from '../support/queue-control';
import { ProcessRegistry, StackSettings, startReporter } from './bench-stack';
import { CpuMeter } from './cpu-meter';
import { NAIVE_PUSH_QUEUE, NAIVE_SMS_QUEUE } from './naive-queue';
import { poll } from './processes';
import { ReportLine, SendTally } from './protocol';
import { DesignResult, firstSend, rateUntil, seriesOf } from './results';
import { redisPeakMb, redisUsedMemory, Sampler, SimulatorAdmin } from './sampler';

export interface DesignRun {
  registry: ProcessRegistry;
  settings: StackSettings;
  /** Aviso's environment (same SDK settings and concurrency) plus the notice whose audience to send. */
  env: Record<string, string>;
  sims: SimulatorAdmin;
  simsPid: number;
  redis: Redis;
  stallMs: number;
  database: string;
}

function reportOf(reports: ReportLine[], kind: string): ReportLine | undefined {
  return reports.find((r) => r.bench === kind);
}

function resultOf(
  design: 'ceiling' | 'naive',
  tally: SendTally,
  startedAt: number,
  finishedAt: number,
  stats: Awaited<ReturnType<SimulatorAdmin['stats']>>,
  samples: Sampler['samples'],
  baseline: number,
): Omit<DesignResult, 'peakRssMb' | 'detail' | 'cpu'> {
  const total = tally.push.sent + tally.sms.sent;
  return {
    design,
    startedAt,
    finishedAt,
    seconds: (finishedAt - startedAt) / 1000,
    recipients: {
      push: tally.push.sent,
      sms: tally.sms.sent,
      total,
      failed: tally.push.failed + tally.sms.failed,
    },
    messages: { push: stats.fcm.accepted, sms: stats.twilio.accepted },
    recipientsPerSecond: {
      total: rateUntil(total, startedAt, finishedAt, finishedAt),
      push: rateUntil(tally.push.sent, startedAt, stats.fcm.lastAt, finishedAt),
      sms: rateUntil(tally.sms.sent, startedAt, stats.twilio.lastAt, finishedAt),
    },
    firstSendMs: firstSend(stats, startedAt),
    redisPeakMb: redisPeakMb(samples, baseline),
    series: seriesOf(samples, startedAt, finishedAt),
  };
}

/** The ceiling process streams and sends on its own and exits; it reports its own peak RSS before it does. */
export async function runCeiling(run: DesignRun): Promise<DesignResult> {
  const baseline = await redisUsedMemory(run.redis);
  const meter = new CpuMeter({ simulators: run.simsPid }, run.database);
  const sampler = new Sampler(run.sims, run.redis, undefined, () => meter.track());
  const ceiling = startReporter(run.registry, run.settings, 'ceiling', 'test/bench/ceiling', run.env);
  const code = await ceiling.process.waitForExit(24 * 3600_000);
  const samples = await sampler.stop();
  const done = reportOf(ceiling.reports, 'done');
  if (code !== 0 || !done)
    throw new Error(`the ceiling failed (exit ${code}); see ${ceiling.process.logFile}`);
  const startedAt = Number(done.startedAt);
  const stats = await run.sims.stats();
  return {
    ...resultOf(
      'ceiling',
      done.tally as SendTally,
      startedAt,
      Number(done.finishedAt),
      stats,
      samples,
      baseline,
    ),
    peakRssMb: { ceiling: done.peakRssMb as number | null },
    cpu: meter.finish({ ceiling: Number(done.cpuSeconds) }),
    detail: { tally: done.tally },
  };
}

/**
 * The naive design: its worker waits, its producer adds one job per recipient; done when the worker has settled
 * as many recipients as were enqueued. The worker is stopped by the caller's registry afterwards.
 */
export async function runNaive(run: DesignRun): Promise<DesignResult> {
  const worker = startReporter(
    run.registry,
    run.settings,
    'naive-worker',
    'test/bench/naive-worker',
    run.env,
  );
  await poll(
    'the naive worker to be ready',
    () => {
      if (!worker.process.running) throw new Error(`the naive worker exited; see ${worker.process.logFile}`);
      return reportOf(worker.reports, 'ready');
    },
    60_000,
  );
  const baseline = await redisUsedMemory(run.redis);
  const meter = new CpuMeter({ simulators: run.simsPid, worker: worker.process.pid }, run.database);
  const sampler = new Sampler(run.sims, run.redis, undefined, () => meter.track());
  const producer = startReporter(
    run.registry,
    run.settings,
    'naive-producer',
    'test/bench/naive-producer',
    run.env,
  );
  const latestTally = () => worker.reports.filter((r) => r.bench === 'progress').pop();
  let moved = { at: Date.now(), mark: '' };
  let checkedAt = 0;
  const settled = await poll(
    'the naive worker to settle every enqueued recipient',
    async () => {
      if (!worker.process.running) throw new Error(`the naive worker exited; see ${worker.process.logFile}`);
      const enqueued = reportOf(producer.reports, 'enqueued');
      if (!enqueued && !producer.process.running)
        throw new Error(`the naive producer failed; see ${producer.process.logFile}`);
      const progress = latestTally();
      const tally = progress?.tally as SendTally | undefined;
      const mark = `${tally?.push.recipients}/${tally?.sms.recipients}/${producer.reports.length}`;
      if (mark !== moved.mark) moved = { at: Date.now(), mark };
      if (!enqueued || !tally) return undefined;
      const expected = enqueued.enqueued as { push: number; sms: number };
      if (tally.push.recipients >= expected.push && tally.sms.recipients >= expected.sms)
        return { enqueued, progress: progress as ReportLine, lost: { push: 0, sms: 0 } };
      const quietMs = Date.now() - moved.at;
      if (quietMs < NAIVE_QUIET_MS || Date.now() - checkedAt < 1_000) return undefined;
      checkedAt = Date.now();
      // A job whose lock lapsed too often is failed by BullMQ itself and never reaches the tally: once nothing is
      // left to run, its recipient counts as failed and the design is as done as it will get. (BullMQ keeps the
      // last 1,000 failed jobs, so beyond that the count falls short.)
      const jobs = await naiveJobCounts(run);
      if (jobs.every(isIdle)) {
        const [push, sms] = jobs.map((counts) => counts.failed ?? 0);
        return { enqueued, progress: progress as ReportLine, lost: { push, sms } };
      }
      if (quietMs > run.stallMs)
        throw new Error(`the naive design stalled at ${mark}; jobs (push, SMS): ${JSON.stringify(jobs)}`);
      return undefined;
    },
    24 * 3600_000,
    100,
  );
  const cpu = meter.finish({ producer: Number(settled.enqueued.cpuSeconds) });
  const samples = await sampler.stop();
  const stats = await run.sims.stats();
  const startedAt = Number(reportOf(producer.reports, 'started')?.startedAt);
  const tally = settled.progress.tally as SendTally;
  const enqueueSeconds = (Number(settled.enqueued.finishedAt) - startedAt) / 1000;
  const enqueued = settled.enqueued.enqueued as { push: number; sms: number };
  // BullMQ re-runs a job whose lock lapsed while its first run still finishes: those sends are counted once
  // here (recipients are who was reached) and shown as duplicate messages.
  const { lost } = settled;
  const reached = (medium: 'push' | 'sms') => ({
    ...tally[medium],
    recipients: enqueued[medium],
    sent: enqueued[medium] - tally[medium].failed - lost[medium],
    failed: tally[medium].failed + lost[medium],
  });
  const distinct: SendTally = { push: reached('push'), sms: reached('sms') };
  return {
    ...resultOf('naive', distinct, startedAt, Number(settled.progress.lastAt), stats, samples, baseline),
    peakRssMb: {
      producer: settled.enqueued.peakRssMb as number | null,
      worker: settled.progress.peakRssMb as number | null,
    },
    cpu,
    detail: {
      tally,
      enqueueSeconds,
      enqueuedPerSecond: (enqueued.push + enqueued.sms) / enqueueSeconds,
      enqueued: settled.enqueued.enqueued,
      jobsRunTwice: tally.push.recipients + tally.sms.recipients - enqueued.push - enqueued.sms,
      jobsFailedByBullmq: lost,
    },
  };
}

/** How long the naive tally may stand still before the benchmark looks for jobs BullMQ failed on its own. */
const NAIVE_QUIET_MS = 5_000;

const isIdle = (counts: Record<string, number>) =>
  ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children'].every(
    (state) => !counts[state],
  );

/** The naive design's push and SMS jobs by state (waiting, active, delayed, failed…). */
function naiveJobCounts(run: DesignRun): Promise<Record<string, number>[]> {
  return withQueues(
    run.settings.redisUrl,
    run.env.BENCH_NAIVE_PREFIX,
    [NAIVE_PUSH_QUEUE, NAIVE_SMS_QUEUE],
    (queues) => Promise.all(queues.map((q) => q.getJobCounts())),
  );
}
