import {
  analyze,
  clearRuns,
  customerCount,
  databaseUrl,
  dropDatabase,
  hasCurrentSchema,
  loadImport,
  saveImport,
} from './bench-database';
import { importDirectory, removeFile, writeDirectoryFile } from './bench-directory';
import type { BenchOptions } from './bench-options';
import { CpuMeter } from './cpu-meter';
import type { BenchProcess } from './processes';
import type { ImportFigures } from './results';

/** A kept database whose schema the migrations no longer build is dropped, so the directory is seeded anew. */
export async function dropIfOutdated(name: string): Promise<void> {
  const url = databaseUrl(name);
  if ((await customerCount(url).catch(() => -1)) <= 0) return;
  if (!(await hasCurrentSchema(url))) {
    process.stdout.write(`[bench] ${name} was seeded under an older schema; seeding it again\n`);
    await dropDatabase(name);
  }
}

/** Imports the directory through the API unless the database already holds it (then earlier figures are reused). */
export async function seedDirectory(
  options: BenchOptions,
  target: {
    databaseUrl: string;
    databaseName: string;
    apiUrl: string;
    authorization: string;
    api: BenchProcess;
  },
  log: (text: string) => void,
): Promise<ImportFigures | null> {
  const { databaseUrl, apiUrl, authorization, api } = target;
  const held = await customerCount(databaseUrl);
  if (held === options.customers && !options.reseed) {
    await clearRuns(databaseUrl, false);
    log(`directory: reusing ${held} customers`);
    const earlier = await loadImport(databaseUrl);
    return earlier ? { ...earlier, reused: true } : null;
  }
  await clearRuns(databaseUrl, true);
  log('directory: generating');
  const file = await writeDirectoryFile({ customers: options.customers, mix: options.mix, now: new Date() });
  try {
    log('directory: importing through POST /v1/customers/import');
    const meter = new CpuMeter({ api: api.pid }, target.databaseName);
    const result = await importDirectory(apiUrl, authorization, file);
    const cpu = meter.finish();
    log(`directory: ${result.accepted} customers in ${result.seconds.toFixed(1)} s`);
    await analyze(databaseUrl);
    const figures = {
      customers: result.accepted,
      seconds: result.seconds,
      customersPerSecond: result.customersPerSecond,
    };
    await saveImport(databaseUrl, figures);
    // The API's high-water mark so far is the import's (the Aviso run later adds the status callbacks).
    return { ...figures, reused: false, apiPeakRssMb: api.peakRssMb(), cpu };
  } finally {
    removeFile(file);
  }
}
