import type { Redis } from 'ioredis';
import { BenchDb, LedgerCounts, NoticeProgress } from './bench-database';
import { CpuMeter } from './cpu-meter';
import { BenchProcess, poll } from './processes';
import { firstSend, DesignResult, rateUntil, seriesOf } from './results';
import { redisPeakMb, redisUsedMemory, Sampler, SimulatorAdmin } from './sampler';

/** The one event the benchmark sends: an outage of the app and online banking, so ~80% of customers are told. */
export function benchEvent(runId: string) {
  return {
    id: `bench-${runId}`,
    incidentRef: `BENCH-${runId}`,
    type: 'opened',
    severity: 'major',
    channels: [
      { id: 'mobile-app', status: 'down' },
      { id: 'online-banking', status: 'down' },
    ],
    message: {
      'es-CO': 'Nuestra app y la banca en línea presentan fallas. Tu dinero está seguro.',
      en: 'Our app and online banking are failing. Your money is safe.',
    },
    occurredAt: new Date().toISOString(),
  };
}

export async function postJson(url: string, authorization: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** POST /v1/audience/preview `runs` times; the median is what a person waits for. */
export async function measurePreview(apiUrl: string, authorization: string, body: unknown, runs = 5) {
  const runsMs: number[] = [];
  let counts = { total: 0, push: 0, smsOnly: 0 };
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const res = await postJson(`${apiUrl}/v1/audience/preview`, authorization, body);
    if (!res.ok) throw new Error(`preview answered ${res.status}: ${await res.text()}`);
    counts = (await res.json()) as typeof counts;
    runsMs.push(performance.now() - started);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], runsMs, ...counts };
}

export interface AvisoRun {
  api: BenchProcess;
  /** The worker processes by name: `worker`, and `planner` when planning runs in a process of its own. */
  workers: Record<string, BenchProcess>;
  apiUrl: string;
  authorization: string;
  sims: SimulatorAdmin;
  simsPid: number;
  redis: Redis;
  db: BenchDb;
  /** The benchmark database's name, whose PostgreSQL backends are metered. */
  database: string;
  /** Give up when nothing moves (no plan, no send) for this long. */
  stallMs: number;
}

/**
 * Sends the event through the API and follows the notice to `done`: first send, planning rate, send rates per
 * medium, time to the last delivery, peak RSS, Redis memory and ledger rows. Returns with both processes running.
 */
export async function runAviso(run: AvisoRun, event: ReturnType<typeof benchEvent>): Promise<DesignResult> {
  const baseline = await redisUsedMemory(run.redis);
  // The sampler starts before the 202 so the chart begins at zero; it learns the notice from the answer.
  const followed: { noticeId?: string; progress?: NoticeProgress } = {};
  const meter = new CpuMeter(
    { api: run.api.pid, ...mapValues(run.workers, (w) => w.pid), simulators: run.simsPid },
    run.database,
  );
  const sampler = new Sampler(
    run.sims,
    run.redis,
    async () => {
      if (followed.noticeId) followed.progress = await run.db.notice(followed.noticeId);
      return followed.progress?.planned ?? 0;
    },
    () => meter.track(),
  );
  const res = await postJson(`${run.apiUrl}/v1/events`, run.authorization, event);
  const startedAt = Date.now();
  if (res.status !== 202) throw new Error(`the event answered ${res.status}: ${await res.text()}`);
  const id = ((await res.json()) as { noticeId: string }).noticeId;
  followed.noticeId = id;

  let moved = { at: Date.now(), mark: '' };
  const done = await poll(
    `notice ${id} to be done`,
    async () => {
      const now = await run.db.notice(id);
      const latest = sampler.latest();
      const mark = `${now.planned}/${latest?.push}/${latest?.sms}`;
      if (mark !== moved.mark) moved = { at: Date.now(), mark };
      else if (Date.now() - moved.at > run.stallMs)
        throw new Error(`notice ${id} stalled at ${mark} (${now.state})`);
      if (![run.api, ...Object.values(run.workers)].every((p) => p.running))
        throw new Error('an Aviso process exited during the run');
      return now.state === 'done' ? now : undefined;
    },
    24 * 3600_000,
    100,
  );
  const settledCallbacks = await waitForCallbacks(run.sims);
  const cpu = meter.finish();
  const samples = await sampler.stop();
  const stats = await run.sims.stats();
  const ledger: LedgerCounts = await run.db.ledger(id);
  const noticeView = await fetch(`${run.apiUrl}/v1/notices/${id}`, {
    headers: { authorization: run.authorization },
  });
  const finishedAt = done.finishedAt ?? Date.now();
  const total = ledger.told.push + ledger.told.sms;
  const plannedAt = done.plannedAt ?? finishedAt;
  return {
    design: 'aviso',
    startedAt,
    finishedAt,
    seconds: (finishedAt - startedAt) / 1000,
    recipients: { push: ledger.told.push, sms: ledger.told.sms, total, failed: ledger.rows - total },
    messages: { push: stats.fcm.accepted, sms: stats.twilio.accepted },
    recipientsPerSecond: {
      total: rateUntil(total, startedAt, finishedAt, finishedAt),
      push: rateUntil(ledger.told.push, startedAt, stats.fcm.lastAt, finishedAt),
      sms: rateUntil(ledger.told.sms, startedAt, stats.twilio.lastAt, finishedAt),
    },
    firstSendMs: firstSend(stats, startedAt),
    peakRssMb: { api: run.api.peakRssMb(), ...mapValues(run.workers, (w) => w.peakRssMb()) },
    redisPeakMb: redisPeakMb(samples, baseline),
    cpu,
    series: seriesOf(samples, startedAt, finishedAt),
    detail: {
      noticeId: id,
      audienceTotal: done.total,
      planned: done.planned,
      planSeconds: (plannedAt - startedAt) / 1000,
      plannedPerSecond: rateUntil(done.planned, startedAt, plannedAt, plannedAt),
      ledgerRows: ledger.rows,
      ledgerByState: ledger.byState,
      statusCallbacks: { ...stats.twilio.callbacks, settled: settledCallbacks },
      notice: noticeView.ok ? await noticeView.json() : `GET answered ${noticeView.status}`,
      plannedSeries: samples
        .filter((s) => s.at >= startedAt)
        .map((s) => [Math.round((s.at - startedAt) / 10) / 100, s.planned ?? 0]),
    },
  };
}

/** Twilio posts `sent` then `delivered` for each SMS; waits (bounded) until the API has had them all. */
async function waitForCallbacks(sims: SimulatorAdmin): Promise<boolean> {
  return poll(
    'status callbacks',
    async () => {
      const { twilio } = await sims.stats();
      const cb = twilio.callbacks;
      return cb && cb.delivered + cb.failed + cb.refused >= 2 * twilio.accepted ? true : undefined;
    },
    30_000,
    200,
  ).catch(() => false);
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
