import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import IORedis from 'ioredis';
import { benchEvent, measurePreview, runAviso } from './aviso-run';
import { measureEvidenceExport } from './evidence-run';
import { BenchDb, ensureDatabase } from './bench-database';
import { dropIfOutdated, seedDirectory } from './bench-seed';
import {
  avisoEnv,
  clearPrefix,
  createApiKey,
  deadOrigin,
  ProcessRegistry,
  StackSettings,
  startApi,
  startSimulators,
  startWorker,
  stopProfiled,
} from './bench-stack';
import { parseBenchOptions } from './bench-options';
import { runCeiling, runNaive } from './other-designs';
import { BenchProcess, freePort, ROOT } from './processes';
import { renderChart, renderImport, renderTable } from './report';
import { BenchResults, DesignResult } from './results';
import { checkTargets } from './targets';

/**
 * `npm run bench`: one run of Aviso, the ceiling and the naive design against this machine's PostgreSQL and Redis,
 * with the provider simulators in their own process. Prints one table, writes the results as JSON and a chart as
 * SVG next to it, and stops everything it started. The seeded database is kept for the next run.
 */
async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const runId = `${process.pid}-${Date.now().toString(36)}`;
  const out = resolve(ROOT, options.out ?? `bench-results/bench-${options.customers}.json`);
  const logDir = join(dirname(out), `${basename(out, '.json')}-logs`);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  // An import-only run empties the directory, so it gets a database of its own and leaves the kept one alone.
  const databaseName = `aviso_${options.importOnly ? 'import' : 'bench'}_${options.customers}_m${Math.round(options.mix * 100)}`;
  await dropIfOutdated(databaseName);
  const settings: StackSettings = {
    databaseUrl: await ensureDatabase(databaseName),
    redisUrl: options.redisUrl,
    queuePrefix: `{aviso-bench-${runId}}`,
    pushConcurrency: options.pushConcurrency,
    smsConcurrency: options.smsConcurrency,
    latencyMs: options.latencyMs,
    logDir,
    profileDir: options.profile ? join(logDir, 'profiles') : undefined,
  };
  const naivePrefix = `{naive-bench-${runId}}`;
  const registry = new ProcessRegistry();
  const redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const db = await BenchDb.open(settings.databaseUrl);
  const log = (text: string) => process.stdout.write(`[bench] ${text}\n`);
  try {
    log(`database ${databaseName}, ${options.customers.toLocaleString('en')} customers, mix ${options.mix}`);
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const stallMs = 90_000;

    let sims = await startSimulators(registry, settings, 'aviso', apiUrl);
    const env = avisoEnv(settings, sims.admin, apiPort);
    const api = await startApi(registry, settings, env, 'aviso');
    const authorization = await createApiKey(settings, env);
    const target = { databaseUrl: settings.databaseUrl, databaseName, apiUrl, authorization, api };
    const imported = await seedDirectory(options, target, log);
    if (options.importOnly) {
      process.stdout.write(`${renderImport(imported)}\n`);
      await stopProfiled(settings, api);
      return;
    }
    const event = benchEvent(runId);
    const preview = await measurePreview(apiUrl, authorization, event);
    log(`preview: ${Math.round(preview.medianMs)} ms median, audience ${preview.total}`);

    const workers: Record<string, BenchProcess> = options.plannerProcess
      ? {
          planner: await startWorker(
            registry,
            settings,
            // Its own metrics port: two workers on one host cannot share one.
            { ...env, WORKER_QUEUES: 'planning', WORKER_METRICS_PORT: String(await freePort()) },
            1,
            'planner',
          ),
          worker: await startWorker(registry, settings, { ...env, WORKER_QUEUES: 'push,sms' }),
        }
      : { worker: await startWorker(registry, settings, env) };
    log('aviso: event sent, following the notice');
    const aviso = await runAviso(
      {
        api,
        workers,
        apiUrl,
        authorization,
        sims: sims.admin,
        simsPid: sims.process.pid,
        redis,
        db,
        stallMs,
        database: databaseName,
      },
      event,
    );
    log(`aviso: ${aviso.recipients.total} recipients in ${aviso.seconds.toFixed(1)} s`);
    for (const worker of Object.values(workers)) await stopProfiled(settings, worker);
    await stopProfiled(settings, api);
    await sims.process.stop();
    const exportApi = await startApi(registry, settings, env, 'evidence');
    const evidence = await measureEvidenceExport(apiUrl, authorization, event.incidentRef, exportApi);
    log(
      `evidence: ${evidence.lines} lines in ${evidence.seconds.toFixed(1)} s, API peak RSS ${evidence.apiPeakRssMb} MB`,
    );
    await exportApi.stop();
    const noticeId = String(aviso.detail.noticeId);

    const runDesign = async (name: 'ceiling' | 'naive', extraEnv: Record<string, string>) => {
      sims = await startSimulators(registry, settings, name, await deadOrigin());
      const designEnv = {
        ...avisoEnv(settings, sims.admin, apiPort),
        BENCH_NOTICE_ID: noticeId,
        ...extraEnv,
      };
      const run = {
        registry,
        settings,
        env: designEnv,
        sims: sims.admin,
        simsPid: sims.process.pid,
        redis,
        stallMs,
        database: databaseName,
      };
      const result = await (name === 'ceiling' ? runCeiling(run) : runNaive(run));
      log(`${name}: ${result.recipients.total} recipients in ${result.seconds.toFixed(1)} s`);
      await registry.stopAll();
      return result;
    };
    const ceiling = await runDesign('ceiling', {});
    const designs: Record<string, DesignResult> = { aviso, ceiling };
    if (!options.skipNaive) {
      designs.naive = await runDesign('naive', { BENCH_NAIVE_PREFIX: naivePrefix });
      await clearPrefix(redis, naivePrefix);
    }

    const sent = (d: DesignResult) => d.messages.push + d.messages.sms;
    for (const design of Object.values(designs)) design.duplicateMessages = sent(design) - sent(ceiling);
    const partial = {
      settings: { ...options, database: databaseName, queuePrefix: settings.queuePrefix, naivePrefix },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGb: totalmem() / 2 ** 30,
        node: process.version,
        loadAverageAtEnd: loadavg(),
      },
      import: imported,
      preview,
      evidence,
      designs,
    };
    const results: BenchResults = { ...partial, targets: checkTargets(partial, options.customers) };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    const svg = out.replace(/\.json$/, '') + '.svg';
    const title = `Aviso vs ceiling vs naive — ${options.customers.toLocaleString('en')} customers, mix ${options.mix}`;
    writeFileSync(svg, renderChart(results, title));
    process.stdout.write(
      `\n${renderTable(results)}\n\nresults: ${out}\nchart:   ${svg}\nlogs:    ${logDir}\n`,
    );
  } finally {
    await registry.stopAll();
    await clearPrefix(redis, settings.queuePrefix).catch(() => undefined);
    await clearPrefix(redis, naivePrefix).catch(() => undefined);
    redis.disconnect();
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
