import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFromSource } from '../support/run-from-source';
import type { ChaosReport } from '../bench/chaos-report';

const CUSTOMERS = 2_000;

describe('npm run chaos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aviso-chaos-'));
  const out = join(dir, 'chaos.json');
  let run: { code: number | null; output: string };
  let report: ChaosReport;

  beforeAll(async () => {
    run = await runFromSource('test/bench/chaos.ts', [
      '--customers',
      String(CUSTOMERS),
      '--pace',
      '40',
      '--out',
      out,
    ]);
    if (run.code !== 0) throw new Error(`chaos exited ${run.code}:\n${run.output}`);
    report = JSON.parse(readFileSync(out, 'utf8')) as ChaosReport;
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills a worker three times and restarts Redis once while the notice is sent, against faulty providers', () => {
    expect(report.chaos.filter((c) => /SIGKILL worker/.test(c))).toHaveLength(3);
    expect(report.chaos.filter((c) => /Redis killed and restarted/.test(c))).toHaveLength(1);
    // Drawn at random per request: over both providers' ~2,000 requests each kind of fault is near certain.
    const { push, sms } = report.providerRequests;
    const answered = (status: string) => (push[status] ?? 0) + (sms[status] ?? 0);
    expect({ hung: answered('0') > 0, 429: answered('429') > 0, 500: answered('500') > 0 }).toEqual({
      hung: true,
      429: true,
      500: true,
    });
  });

  it('loses no one: every reachable recipient ends told, or failed with a reason', () => {
    expect(report.reachable).toBeGreaterThan(CUSTOMERS / 2);
    expect(report.lost).toBe(0);
    const states = Object.keys(report.byState);
    expect(states.filter((s) => !/^(push|sms)\.(sent|delivered|failed \S+|skipped \S+)$/.test(s))).toEqual(
      [],
    );
    expect(run.output).toMatch(/\nlost: 0\n/);
  });

  it('sends no more duplicates than the in-flight bound of what was killed', () => {
    expect(report.duplicates).toBeGreaterThanOrEqual(0);
    expect(report.duplicates).toBeLessThanOrEqual(report.duplicateBound);
    expect(run.output).toMatch(/time to done: \d+\.\d s/);
  });
});
