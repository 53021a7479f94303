import type { BenchResults } from './results';

const MB_RSS = 300;
const MB_REDIS = 50;

/** The figures the benchmark is judged against, checked as they are (the 1M-customer ones say so). */
export function checkTargets(
  results: Omit<BenchResults, 'targets'>,
  customers: number,
): BenchResults['targets'] {
  const { aviso, ceiling, naive } = results.designs;
  const at1M =
    customers >= 1_000_000 ? '' : ` (the target is for 1M; this run has ${customers.toLocaleString('en')})`;
  const targets: BenchResults['targets'] = [];
  const add = (name: string, target: string, value: string, pass: boolean | null) =>
    targets.push({ name, target, value, pass });
  if (aviso && ceiling) {
    const ratio = aviso.recipientsPerSecond.total / ceiling.recipientsPerSecond.total;
    add(`Aviso vs ceiling recipients/s${at1M}`, '≥ 0.9×', `${ratio.toFixed(2)}×`, ratio >= 0.9);
  }
  if (aviso && naive) {
    const ratio = aviso.recipientsPerSecond.total / naive.recipientsPerSecond.total;
    add(`Aviso vs naive recipients/s${at1M}`, '≥ 1×', `${ratio.toFixed(2)}×`, ratio >= 1);
    const memory = naive.redisPeakMb > 0 ? aviso.redisPeakMb / naive.redisPeakMb : null;
    add(
      `Aviso vs naive Redis memory${at1M}`,
      '≤ 1/5',
      memory === null ? 'n/a' : `${memory.toFixed(3)}×`,
      memory === null ? null : memory <= 0.2,
    );
  }
  if (aviso) {
    const first = aviso.firstSendMs;
    add(
      'first send after the 202',
      '≤ 1000 ms',
      first === null ? 'none' : `${first} ms`,
      first !== null && first <= 1000,
    );
    for (const [process, mb] of Object.entries(aviso.peakRssMb))
      add(`peak RSS of the ${process}`, `≤ ${MB_RSS} MB`, `${mb} MB`, mb !== null && mb <= MB_RSS);
    add(
      'Redis used_memory peak',
      `≤ ${MB_REDIS} MB`,
      `${aviso.redisPeakMb.toFixed(2)} MB`,
      aviso.redisPeakMb <= MB_REDIS,
    );
  }
  add(
    'audience preview (median)',
    '≤ 1000 ms',
    `${Math.round(results.preview.medianMs)} ms`,
    results.preview.medianMs <= 1000,
  );
  if (results.import) {
    const rate = results.import.customersPerSecond;
    add(
      'directory import',
      '≥ 50,000 customers/s',
      `${Math.round(rate).toLocaleString('en')}/s`,
      rate >= 50_000,
    );
  }
  return targets;
}
