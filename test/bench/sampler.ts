import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReceivedStats } from '../../src/simulators/received-log';

/** The provider simulators' admin routes, seen from the benchmark's process. */
export class SimulatorAdmin {
  constructor(
    readonly fcmUrl: string,
    readonly twilioUrl: string,
  ) {}

  async stats(): Promise<{ fcm: SimStats; twilio: SimStats }> {
    const [fcm, twilio] = await Promise.all([this.get(this.fcmUrl), this.get(this.twilioUrl)]);
    return { fcm, twilio };
  }

  private async get(origin: string): Promise<SimStats> {
    const res = await fetch(`${origin}/__sim/stats`);
    if (!res.ok) throw new Error(`${origin}/__sim/stats answered ${res.status}`);
    return (await res.json()) as SimStats;
  }
}

export type SimStats = ReceivedStats & { callbacks?: { delivered: number; failed: number; refused: number } };

export interface Sample {
  /** Epoch milliseconds. */
  at: number;
  /** Messages the simulators accepted so far. */
  push: number;
  sms: number;
  /** Redis used_memory in bytes. */
  redis: number;
  /** Recipients planned so far (Aviso only). */
  planned?: number;
}

export async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** Samples the simulators' counters and Redis memory every `intervalMs` until stopped. */
export class Sampler {
  readonly samples: Sample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly sims: SimulatorAdmin,
    private readonly redis: Redis,
    private readonly planned?: () => Promise<number>,
    private readonly onTick?: () => void,
    intervalMs = 200,
  ) {
    this.loop = this.run(intervalMs);
  }

  latest(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  /** Stops sampling after one last sample. */
  async stop(): Promise<Sample[]> {
    this.running = false;
    await this.loop;
    await this.take();
    return this.samples;
  }

  private async run(intervalMs: number): Promise<void> {
    while (this.running) {
      const started = Date.now();
      // A missed sample (a simulator busy restarting) only thins the chart.
      await this.take().catch(() => undefined);
      await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
  }

  private async take(): Promise<void> {
    this.onTick?.();
    // Stamped before reading, so a sample stamped at or after an event includes it.
    const at = Date.now();
    const [stats, redis, planned] = await Promise.all([
      this.sims.stats(),
      redisUsedMemory(this.redis),
      this.planned?.(),
    ]);
    this.samples.push({
      at,
      push: stats.fcm.accepted,
      sms: stats.twilio.accepted,
      redis,
      planned,
    });
  }
}

/** Peak Redis memory above `baseline` seen in `samples`, in MB. */
export function redisPeakMb(samples: Sample[], baseline: number): number {
  const peak = Math.max(baseline, ...samples.map((s) => s.redis));
  return (peak - baseline) / 1_048_576;
}
