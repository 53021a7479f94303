import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux reports process and machine CPU time in clock ticks of 1/100 s (CLK_TCK). */
const TICK = 0.01;

/** CPU seconds (user + system) a live process has used; null once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK;
  } catch {
    return null;
  }
}

/** CPU seconds used by every process of that name on the machine (this benchmark's and anyone else's): Redis. */
function commandCpuSeconds(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command)
        total += processCpuSeconds(Number(entry)) ?? 0;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

/** PostgreSQL backends serving `database` (their title names it) and the CPU seconds each has used. */
function backendsOf(database: string): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!title.startsWith('postgres: ') || !title.includes(` ${database} `)) continue;
      const cpu = processCpuSeconds(Number(entry));
      if (cpu !== null) found.set(Number(entry), cpu);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return found;
}

/** Busy CPU seconds of the whole machine, all cores. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (user + nice + system + irq + softirq + steal) * TICK;
}

export interface CpuUse {
  /** CPU seconds per process this benchmark started, over the measured span. */
  processes: Record<string, number>;
  postgres: number;
  redis: number;
  machineBusy: number;
  /** Busy time that neither the benchmark's processes, its database's backends nor Redis account for. */
  outside: number;
  /** Cores × wall seconds: what the machine could have given. */
  capacity: number;
}

/**
 * Where the CPU went during one design's run. A 2-core machine is shared by the design's processes, the
 * simulators, PostgreSQL and Redis, so a design that costs more CPU per recipient anywhere sends slower.
 */
export class CpuMeter {
  private readonly startedAt = Date.now();
  /** Per backend of the benchmark database: CPU when first seen (0 when it connected later) and when last seen. */
  private readonly backends = new Map<number, { first: number; last: number }>();
  private readonly redisAtStart = commandCpuSeconds('redis-server');
  private readonly machineAtStart = machineBusySeconds();
  private readonly atStart = new Map<string, number>();

  constructor(
    private readonly pids: Record<string, number>,
    private readonly database: string,
  ) {
    for (const [name, pid] of Object.entries(pids)) this.atStart.set(name, processCpuSeconds(pid) ?? 0);
    for (const [pid, cpu] of backendsOf(database)) this.backends.set(pid, { first: cpu, last: cpu });
  }

  /** Notes the database backends' CPU; called while the run goes on, so a backend that disconnects still counts. */
  track(): void {
    for (const [pid, cpu] of backendsOf(this.database)) {
      const seen = this.backends.get(pid);
      if (seen) seen.last = cpu;
      else this.backends.set(pid, { first: 0, last: cpu });
    }
  }

  /** `reported`: CPU seconds of processes that measured themselves (they started after, or end before, this). */
  finish(reported: Record<string, number> = {}): CpuUse {
    const processes: Record<string, number> = { ...reported };
    for (const [name, pid] of Object.entries(this.pids))
      processes[name] = (processCpuSeconds(pid) ?? 0) - (this.atStart.get(name) ?? 0);
    this.track();
    let postgres = 0;
    for (const { first, last } of this.backends.values()) postgres += last - first;
    const redis = commandCpuSeconds('redis-server') - this.redisAtStart;
    const machineBusy = machineBusySeconds() - this.machineAtStart;
    const ours = Object.values(processes).reduce((a, b) => a + b, 0);
    return {
      processes: roundAll(processes),
      postgres: round(postgres),
      redis: round(redis),
      machineBusy: round(machineBusy),
      outside: round(Math.max(0, machineBusy - ours - postgres - redis)),
      capacity: round((cpus().length * (Date.now() - this.startedAt)) / 1000),
    };
  }
}

/** This process's own CPU seconds, for reports from the ceiling and naive processes. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return round((user + system) / 1e6);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v)]));
}
