import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './app/worker.module';
import { loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig()), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // SIGTERM: stop taking jobs, let the active batches finish (provider calls are bounded), then exit.
  app.enableShutdownHooks();
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
