import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './app/worker.module';
import { loadConfig } from './config/app-config';
import { Readiness } from './health/readiness';
import { serveMetrics } from './metrics/metrics-server';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

async function main(): Promise<void> {
  const config = loadConfig();
  // The worker starts taking jobs while Nest initializes, before its shutdown hooks exist. A stop signal that
  // arrives then (a deploy that changes its mind) is held and raised again once they do, instead of killing the
  // process in the middle of a batch.
  let held: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals) => void (held ??= signal);
  for (const signal of STOP_SIGNALS) process.on(signal, hold);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // SIGTERM: stop taking jobs, let the active batches finish (provider calls are bounded), then exit.
  app.enableShutdownHooks();
  for (const signal of STOP_SIGNALS) process.off(signal, hold);
  if (held) process.kill(process.pid, held);
  const { WORKER_METRICS_PORT: port, HOST: host } = config.env;
  if (port) {
    (await serveMetrics(port, host, app.get(Readiness))).unref();
    logger.log(`Worker metrics on http://${host}:${port}/metrics, health on /health/live and /health/ready`);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
