import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import IORedis from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ApiKeysService } from '../../src/access/api-keys.service';
import { Scope } from '../../src/access/scopes';
import { createHttpApp } from '../../src/app/http-app';
import { WorkerModule } from '../../src/app/worker.module';
import { AppConfig } from '../../src/config/app-config';
import { DB, Db } from '../../src/database/database.module';
import { ProviderSimulators, startProviderSimulators } from '../../src/simulators';
import { StatusPublisher } from '../../src/status/status-publisher';
import { createTestDatabase } from './test-database';
import { until } from './until';
import { testConfig } from './test-config';

type DatabaseKind = 'postgres' | 'embedded';

export interface TestApi {
  app: INestApplication;
  http: TestAgent;
  db: Db;
  config: AppConfig;
  /** A fresh API key with these scopes, as the `Authorization` header value. */
  bearer(...scopes: Scope[]): Promise<string>;
  /** A worker on the same database and queues: it plans notices and releases those within APPROVAL_THRESHOLD. */
  startWorker(): Promise<INestApplicationContext>;
  /** Resolves once no notice is being planned and the API and its workers have rebuilt the status snapshot since. */
  statusSettled(): Promise<void>;
  close(): Promise<void>;
}

/** The real HTTP application on its own database (PostgreSQL or embedded PGlite) and its own queue prefix. */
export async function startTestApi(
  kind: DatabaseKind = 'postgres',
  env: Record<string, string | undefined> = {},
): Promise<TestApi> {
  let cleanup: () => Promise<void>;
  let dbEnv: Record<string, string>;
  if (kind === 'postgres') {
    const database = await createTestDatabase('api');
    dbEnv = { DATABASE_URL: database.url };
    cleanup = database.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'aviso-pglite-'));
    dbEnv = { DATA_DIR: dir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const config = testConfig({ ...dbEnv, ...env });
  const app = await createHttpApp(config);
  await app.init();
  const keys = app.get(ApiKeysService);
  const workers: INestApplicationContext[] = [];
  const simulators: ProviderSimulators[] = [];
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get<Db>(DB),
    config,
    bearer: async (...scopes) => `Bearer ${(await keys.create('test', scopes)).key}`,
    startWorker: async () => {
      // A worker cannot start without its providers; the shipped simulators stand in for them.
      const sims = await startProviderSimulators();
      simulators.push(sims);
      const env = { ...config.env, FCM_BASE_URL: sims.fcmUrl, TWILIO_BASE_URL: sims.twilioUrl };
      const worker = await startWorkerContext({ ...config, env });
      workers.push(worker);
      return worker;
    },
    statusSettled: async () => {
      const db = app.get<Db>(DB);
      await until('every notice planned', async () => {
        const planning = await db
          .selectFrom('notices')
          .select('id')
          .where('state', '=', 'planning')
          .execute();
        return planning.length === 0;
      });
      await Promise.all([app, ...workers].map((context) => context.get(StatusPublisher).request()));
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(simulators.map((s) => s.close()));
      await app.close();
      await clearQueues(config);
      await cleanup();
      rmSync(config.env.STATUS_DIR, { recursive: true, force: true });
    },
  };
}

/** A worker process's modules, in this process. */
export async function startWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  return worker;
}

/** Removes every Redis key under this config's BullMQ prefix; a test's own Redis Cluster is thrown away whole. */
export async function clearQueues(config: AppConfig): Promise<void> {
  if (config.env.REDIS_CLUSTER_NODES) return;
  const redis = new IORedis(config.env.REDIS_URL);
  try {
    const stream = redis.scanStream({ match: `${config.env.QUEUE_PREFIX}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}
