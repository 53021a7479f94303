import type { DesignResult } from './results';

/** Where Aviso's CPU went beyond the ceiling's, in CPU seconds, and the ratio that leaves on this machine. */
export interface CpuAccounting {
  /** Everything the ceiling's run cost: its process, the simulators, PostgreSQL and Redis. */
  ceiling: number;
  /** Aviso's API: the event, and above all the provider's delivery callbacks, which the ceiling never gets. */
  api: number;
  /** PostgreSQL and Redis beyond the ceiling's (which read the audience): the ledger and the queue. */
  databases: number;
  /**
   * The simulators against the ceiling's: sending the delivery callbacks to a server that takes them, less what the
   * ceiling's simulators spend having the same callbacks refused by a closed port. Often negative.
   */
  simulators: number;
  /** Aviso's workers beyond the ceiling's process: planning, the queue and the ledger's client side. */
  workers: number;
  /** Machine busy ÷ capacity during each run. */
  busy: { aviso: number; ceiling: number };
  /**
   * Aviso/ceiling at the same machine load if Aviso's workers cost no more than the ceiling's process while the API,
   * the databases and the callbacks cost what they did: the most the ledger and the delivery reports leave.
   */
  bound: number;
}

export function cpuAccounting(aviso: DesignResult, ceiling: DesignResult): CpuAccounting {
  const { api = 0, simulators: avisoSims = 0, ...workers } = aviso.cpu.processes;
  const { simulators: ceilingSims = 0, ...ceilingOwn } = ceiling.cpu.processes;
  const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
  const ceilingAll = sum(ceilingOwn) + ceilingSims + ceiling.cpu.postgres + ceiling.cpu.redis;
  const databases = aviso.cpu.postgres + aviso.cpu.redis - ceiling.cpu.postgres - ceiling.cpu.redis;
  const simulators = avisoSims - ceilingSims;
  const busy = (d: DesignResult) => (d.cpu.capacity ? d.cpu.machineBusy / d.cpu.capacity : 0);
  // Both runs keep the machine about equally busy, so their rates stand in the inverse ratio of their CPU per recipient.
  const perRecipient = (cpu: number, d: DesignResult) => cpu / d.recipients.total;
  const boundCpu = ceilingAll + api + databases + simulators;
  return {
    ceiling: ceilingAll,
    api,
    databases,
    simulators,
    workers: sum(workers) - sum(ceilingOwn),
    busy: { aviso: busy(aviso), ceiling: busy(ceiling) },
    bound: perRecipient(ceilingAll, ceiling) / perRecipient(boundCpu, aviso),
  };
}

export function renderCpuAccounting(a: CpuAccounting): string[] {
  const s = (n: number) => n.toFixed(1).padStart(6);
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  return [
    'CPU accounting, Aviso against the ceiling (CPU s):',
    `  ${s(a.ceiling)}  the ceiling's whole run (its process, simulators, PostgreSQL, Redis)`,
    `  ${s(a.api)}  Aviso's API: the event and the delivery callbacks`,
    `  ${s(a.databases)}  PostgreSQL and Redis beyond the ceiling's: the ledger and the queue`,
    `  ${s(a.simulators)}  simulators against the ceiling's (callbacks delivered, against refused)`,
    `  ${s(a.workers)}  Aviso's workers beyond the ceiling's process`,
    `  machine busy: Aviso ${pct(a.busy.aviso)}, ceiling ${pct(a.busy.ceiling)}`,
    `  Aviso/ceiling if the workers cost no more than the ceiling's process: ${a.bound.toFixed(2)}×`,
  ];
}
