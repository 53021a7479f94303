import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import type { BenchResults, DesignResult } from '../bench/results';
import { runFromSource } from '../support/run-from-source';

const CUSTOMERS = 2_000;

async function keysUnder(prefix: string): Promise<number> {
  const redis = new IORedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    return (await redis.keys(`${prefix}:*`)).length;
  } finally {
    redis.disconnect();
  }
}

describe('npm run bench', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aviso-bench-'));
  const out = join(dir, `bench-${CUSTOMERS}.json`);
  let run: { code: number | null; output: string };
  let results: BenchResults;
  let designs: Record<'aviso' | 'ceiling' | 'naive', DesignResult>;

  beforeAll(async () => {
    run = await runFromSource('test/bench/bench.ts', ['--customers', String(CUSTOMERS), '--out', out]);
    if (run.code !== 0) throw new Error(`bench exited ${run.code}:\n${run.output}`);
    results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    designs = results.designs as typeof designs;
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one table comparing the three designs', () => {
    expect(run.output).toMatch(/\n\s+Aviso\s+ceiling\s+naive\s+Aviso\/ceiling\s+Aviso\/naive\n/);
    expect(run.output).toMatch(/recipients\/s \(all\)/);
    expect(run.output).toMatch(/targets:/);
  });

  it('has Aviso tell every reachable recipient of the previewed audience, each in the ledger', () => {
    const aviso = designs.aviso;
    expect(results.preview.total).toBeGreaterThan(CUSTOMERS / 2);
    expect(aviso.recipients.total).toBe(results.preview.total);
    expect(aviso.recipients.failed).toBe(0);
    expect(aviso.detail.ledgerRows).toBe(results.preview.total);
    expect(aviso.recipients.push).toBe(results.preview.push);
  });

  it('has the ceiling and the naive design reach exactly the same recipients and devices', () => {
    for (const other of [designs.ceiling, designs.naive])
      expect(other.recipients).toEqual(designs.aviso.recipients);
    expect(designs.ceiling.messages).toEqual(designs.aviso.messages);
    expect(designs.aviso.duplicateMessages).toBe(0);
    // The naive design may send a message twice (a BullMQ job re-run after its lock lapsed); never fewer.
    expect(designs.naive.duplicateMessages).toBeGreaterThanOrEqual(0);
  });

  it('measures positive rates, a first send and the memory of every process', () => {
    for (const design of Object.values(designs)) {
      expect(design.recipientsPerSecond.total).toBeGreaterThan(0);
      expect(design.recipientsPerSecond.push).toBeGreaterThan(0);
      expect(design.recipientsPerSecond.sms).toBeGreaterThan(0);
      expect(design.firstSendMs).toBeGreaterThanOrEqual(0);
      expect(design.seconds).toBeGreaterThan(0);
      for (const mb of Object.values(design.peakRssMb)) expect(mb).toBeGreaterThan(10);
      for (const cpu of Object.values(design.cpu.processes)) expect(cpu).toBeGreaterThan(0);
      const last = design.series[design.series.length - 1];
      expect(last[1]).toBe(design.messages.push + design.messages.sms);
    }
    // Redis memory is sampled machine-wide: other test files freeing keys at the same time can hide a small run's
    // use, so only its presence is checked here; the full-size run is where it is compared.
    for (const design of Object.values(designs)) expect(typeof design.redisPeakMb).toBe('number');
    expect(results.preview.medianMs).toBeGreaterThan(0);
  });

  it('streams the evidence export of the notice: a line per delivery, the events and audit, a hash that verifies', () => {
    const { evidence } = results;
    // Deliveries, the event, its audit entry, the hash line at least.
    expect(evidence.lines).toBeGreaterThanOrEqual(Number(designs.aviso.detail.ledgerRows) + 3);
    expect(evidence.verified).toBe(true);
    expect(evidence.seconds).toBeGreaterThan(0);
    expect(evidence.apiPeakRssMb).toBeGreaterThan(0);
    expect(run.output).toMatch(/evidence export: [\d,]+ lines .* SHA-256 verified/);
  });

  it('writes the chart next to the JSON, one line per design', () => {
    const svg = readFileSync(out.replace(/\.json$/, '.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
  });

  it('leaves no Redis keys behind and keeps the seeded database', async () => {
    const settings = results.settings as { queuePrefix: string; naivePrefix: string; database: string };
    expect(await keysUnder(settings.queuePrefix)).toBe(0);
    expect(await keysUnder(settings.naivePrefix)).toBe(0);
    expect(settings.database).toBe(`aviso_bench_${CUSTOMERS}_m80`);
    expect(existsSync(out)).toBe(true);
  });
});
