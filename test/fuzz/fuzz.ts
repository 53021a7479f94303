import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { formatSummary, fuzzApi } from './api-fuzz';

/** npm run fuzz -- [--runs 10000] [--seed N]: the full-size fuzz run; prints its summary, fails on any finding. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } },
  });
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  console.log(`fuzzing every endpoint with ${values.runs} requests each, seed ${seed}`);
  const summary = await fuzzApi({ runs: Number(values.runs), seed, log: (line) => console.log(line) });
  console.log(formatSummary(summary));
  const clean = summary.invariants.length === 0 && summary.endpoints.every((e) => e.failures.length === 0);
  process.exit(clean ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
