import { cpuAccounting } from '../../bench/cpu-accounting';
import type { DesignResult } from '../../bench/results';

function design(
  processes: Record<string, number>,
  postgres: number,
  redis: number,
  busy: number,
): DesignResult {
  return {
    recipients: { push: 800, sms: 200, total: 1000, failed: 0 },
    cpu: { processes, postgres, redis, machineBusy: busy, outside: 0, capacity: 100 },
  } as DesignResult;
}

describe('CPU accounting of Aviso against the ceiling', () => {
  const ceiling = design({ ceiling: 12, simulators: 6 }, 0.5, 0.5, 90);
  const aviso = design({ api: 4, planner: 2, worker: 14, simulators: 7 }, 5.5, 1.5, 90);

  it("charges Aviso's extra CPU to the API, the databases, the callbacks sent and the workers", () => {
    expect(cpuAccounting(aviso, ceiling)).toMatchObject({
      ceiling: 19,
      api: 4,
      databases: 6,
      simulators: 1,
      workers: 4,
      busy: { aviso: 0.9, ceiling: 0.9 },
    });
  });

  it('bounds the ratio by what remains when the workers cost no more than the ceiling process', () => {
    // 19 CPU s for the ceiling against 19 + 4 + 6 + 1 = 30 for Aviso at its best.
    expect(cpuAccounting(aviso, ceiling).bound).toBeCloseTo(19 / 30, 5);
  });

  it('credits Aviso with simulators that cost less than in the ceiling’s run', () => {
    const cheaperSims = design({ api: 4, worker: 12, simulators: 4 }, 5.5, 1.5, 90);
    // 19 against 19 + 4 + 6 − 2 = 27.
    expect(cpuAccounting(cheaperSims, ceiling)).toMatchObject({ simulators: -2 });
    expect(cpuAccounting(cheaperSims, ceiling).bound).toBeCloseTo(19 / 27, 5);
  });
});
