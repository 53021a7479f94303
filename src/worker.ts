import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './app/worker.module';
import { loadConfig } from './config/app-config';
import { serveMetrics } from './metrics/metrics-server';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // SIGTERM: stop taking jobs, let the active batches finish (provider calls are bounded), then exit.
  app.enableShutdownHooks();
  const { WORKER_METRICS_PORT: port, HOST: host } = config.env;
  if (port) {
    (await serveMetrics(port, host)).unref();
    logger.log(`Worker metrics on http://${host}:${port}/metrics`);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
