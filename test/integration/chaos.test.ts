import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CUSTOMERS = 2_000;

interface ChaosReport {
  reachable: number;
  chaos: string[];
  byState: Record<string, number>;
  lost: number;
  duplicates: number;
  duplicateBound: number;
  providerRequests: { push: Record<string, number>; sms: Record<string, number> };
}

/** Runs `npm run chaos`'s program from source (no build needed) and resolves with its exit code and output. */
function runChaos(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/bench/chaos.ts', ...args], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run chaos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aviso-chaos-'));
  const out = join(dir, 'chaos.json');
  let run: { code: number | null; output: string };
  let report: ChaosReport;

  beforeAll(async () => {
    run = await runChaos(['--customers', String(CUSTOMERS), '--pace', '40', '--out', out]);
    if (run.code !== 0) throw new Error(`chaos exited ${run.code}:\n${run.output}`);
    report = JSON.parse(readFileSync(out, 'utf8')) as ChaosReport;
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills a worker three times and restarts Redis once while the notice is sent, against faulty providers', () => {
    expect(report.chaos.filter((c) => /SIGKILL worker/.test(c))).toHaveLength(3);
    expect(report.chaos.filter((c) => /Redis killed and restarted/.test(c))).toHaveLength(1);
    for (const requests of [report.providerRequests.push, report.providerRequests.sms]) {
      expect(requests).toEqual(
        expect.objectContaining({ '0': expect.any(Number), '429': expect.any(Number) }),
      );
      expect(requests['500']).toBeGreaterThan(0);
    }
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
