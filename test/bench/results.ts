import type { EvidenceFigures } from './evidence-run';
import type { CpuUse } from './cpu-meter';
import type { Sample, SimStats } from './sampler';

export type DesignName = 'aviso' | 'ceiling' | 'naive';

/** One design's run, measured the same way for all three. Times are epoch milliseconds. */
export interface DesignResult {
  design: DesignName;
  /** Aviso: the 202 of the event; ceiling and naive: when their warm process began streaming the audience. */
  startedAt: number;
  /** When the last recipient was settled (Aviso: the notice turned done). */
  finishedAt: number;
  seconds: number;
  recipients: { push: number; sms: number; total: number; failed: number };
  /** Provider requests the simulators accepted (a push recipient with two devices is two). */
  messages: { push: number; sms: number };
  /** Provider messages beyond the ceiling's (which sends each exactly once): recipients told twice. */
  duplicateMessages?: number;
  recipientsPerSecond: { total: number; push: number; sms: number };
  /** From the start to the first provider request the simulators received. */
  firstSendMs: number | null;
  peakRssMb: Record<string, number | null>;
  redisPeakMb: number;
  /** CPU seconds by process over the run, with PostgreSQL, Redis and whatever else ran on the machine. */
  cpu: CpuUse;
  /** Seconds from the start → messages accepted by the simulators so far. */
  series: [number, number][];
  detail: Record<string, unknown>;
}

/** Rate of `count` between `from` and the simulator's last request (or `fallback` when it got none). */
export function rateUntil(count: number, from: number, last: number | null, fallback: number): number {
  const seconds = ((last ?? fallback) - from) / 1000;
  return count && seconds > 0 ? count / seconds : 0;
}

export function firstSend(stats: { fcm: SimStats; twilio: SimStats }, from: number): number | null {
  const firsts = [stats.fcm.firstAt, stats.twilio.firstAt].filter((t): t is number => t !== null);
  return firsts.length ? Math.min(...firsts) - from : null;
}

/** The chart's series: messages accepted over time, from the design's start to its last delivery. */
export function seriesOf(samples: Sample[], from: number, until: number): [number, number][] {
  const end = samples.findIndex((s) => s.at >= until);
  return samples
    .slice(0, end < 0 ? samples.length : end + 1)
    .filter((s) => s.at >= from)
    .map((s) => [Math.round((s.at - from) / 10) / 100, s.push + s.sms] as [number, number]);
}

export interface ImportFigures {
  customers: number;
  seconds: number;
  customersPerSecond: number;
  /** True when the database already held the directory: the figures are those of the import that seeded it. */
  reused: boolean;
  /** The API's peak RSS right after an import this run made, and the CPU the import cost. */
  apiPeakRssMb?: number | null;
  cpu?: CpuUse;
}

export interface BenchResults {
  settings: Record<string, unknown>;
  machine: Record<string, unknown>;
  import: ImportFigures | null;
  preview: { medianMs: number; runsMs: number[]; total: number; push: number; smsOnly: number };
  evidence: EvidenceFigures;
  designs: Partial<Record<DesignName, DesignResult>>;
  targets: { name: string; target: string; value: string; pass: boolean | null }[];
}
