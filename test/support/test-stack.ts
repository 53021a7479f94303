import { ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ApiKeysService } from '../../src/access/api-keys.service';
import { Scope } from '../../src/access/scopes';
import { createHttpApp } from '../../src/app/http-app';
import { AppConfig } from '../../src/config/app-config';
import { DB, Db } from '../../src/database/database.module';
import type { NoticeRow } from '../../src/database/schema';
import { ProviderSimulators, startProviderSimulators } from '../../src/simulators';
import { until } from './until';
import type { FcmSettings } from '../../src/simulators/fcm-simulator';
import type { TwilioSettings } from '../../src/simulators/twilio-simulator';
import { CustomerFactory } from './customer-factory';
import { EventBody } from './event-factory';
import { clearQueues, startWorkerContext } from './test-api';
import { createTestDatabase } from './test-database';
import { TEST_APPROVAL_THRESHOLD, testConfig } from './test-config';

/** Where Twilio is told to post status callbacks; the simulator posts them to the API's loopback address instead. */
export const PUBLIC_BASE_URL = 'https://aviso.bank.test';

interface StackOptions {
  env?: Record<string, string>;
  /** Run a worker inside the test process (default); false leaves the queues to workers a test starts itself. */
  worker?: boolean;
  fcm?: Partial<FcmSettings>;
  twilio?: Partial<TwilioSettings>;
}

export interface TestStack {
  app: INestApplication;
  http: TestAgent;
  db: Db;
  config: AppConfig;
  /** The environment the stack was configured from, for worker processes a test spawns. */
  env: Record<string, string>;
  sims: ProviderSimulators;
  customers: CustomerFactory;
  admin: string;
  /** A fresh API key with these scopes, as the `Authorization` header value. */
  bearer(...scopes: Scope[]): Promise<string>;
  postEvent(body: EventBody): Promise<{ noticeId: string; incidentId: string }>;
  notice(id: string): Promise<NoticeRow>;
  waitForNotice(id: string, state: NoticeRow['state'], timeoutMs?: number): Promise<NoticeRow>;
  deliveries(
    noticeId: string,
  ): Promise<{ customer_id: string; medium: string; state: string; reason: string | null }[]>;
  /** A worker in the test process; `env` overrides the stack's settings for it alone (WORKER_QUEUES, say). */
  startWorker(env?: Record<string, string>): Promise<INestApplicationContext>;
  spawnWorker(): ChildProcess;
  close(): Promise<void>;
}

/** The API listening on loopback, a worker, and both provider simulators, on a fresh database and queue prefix. */
export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase('stack');
  const reserved = await reservePort();
  const port = reserved.port;
  const sims = await startProviderSimulators({
    fcm: { config: options.fcm },
    twilio: { config: options.twilio, callbackOrigin: `http://127.0.0.1:${port}` },
  });
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    FCM_BASE_URL: sims.fcmUrl,
    TWILIO_BASE_URL: sims.twilioUrl,
    PUBLIC_BASE_URL,
    NOTICE_COOLDOWN: '0',
    // Tests run at any hour: a test that is about quiet hours turns them on.
    QUIET_HOURS: '',
    RECOVERY_INTERVAL_SECONDS: '1',
    RECOVERY_IDLE_SECONDS: '3',
    // A starved test machine must not cut a batch whose messages the simulator already took (exactly-once checks).
    PUSH_SEND_TIMEOUT_MS: '120000',
    WORKER_METRICS_PORT: '0',
    // Notices of other suites are not held for approval; the approval suites set the threshold themselves.
    APPROVAL_THRESHOLD: TEST_APPROVAL_THRESHOLD,
    ...options.env,
  };
  const config = testConfig(env);
  env.QUEUE_PREFIX = config.env.QUEUE_PREFIX;
  env.REDIS_URL = config.env.REDIS_URL;
  // Spawned workers write the status snapshot too: into this stack's folder, not the checkout's ./data.
  env.STATUS_DIR = config.env.STATUS_DIR;
  const app: INestApplication = await createHttpApp(config);
  await reserved.release();
  await app.listen(port, '127.0.0.1');
  const db = app.get<Db>(DB);
  const workers: INestApplicationContext[] = [];
  const children: ChildProcess[] = [];
  const keys = app.get(ApiKeysService);
  const bearer = async (...scopes: Scope[]) => `Bearer ${(await keys.create('test', scopes)).key}`;
  const admin = await bearer('admin');
  const http = request(app.getHttpServer());

  const stack: TestStack = {
    app,
    http,
    db,
    config,
    env,
    sims,
    customers: new CustomerFactory(db),
    admin,
    bearer,
    async postEvent(body) {
      const res = await http.post('/v1/events').set('Authorization', admin).send(body).expect(202);
      return res.body;
    },
    notice: (id) => db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    async waitForNotice(id, state, timeoutMs = 60_000) {
      let last: NoticeRow | undefined;
      await until(
        `notice ${id} to be ${state}`,
        async () => (last = await stack.notice(id)).state === state,
        timeoutMs,
        50,
      );
      return last as NoticeRow;
    },
    deliveries: (noticeId) =>
      db
        .selectFrom('deliveries')
        .select(['customer_id', 'medium', 'state', 'reason'])
        .where('notice_id', '=', noticeId)
        .orderBy('customer_id')
        .execute(),
    async startWorker(overrides) {
      const worker = await startWorkerContext(overrides ? testConfig({ ...env, ...overrides }) : config);
      workers.push(worker);
      return worker;
    },
    spawnWorker() {
      const child = spawn(
        process.execPath,
        ['--experimental-vm-modules', '-r', '@swc-node/register', 'src/worker.ts'],
        { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      children.push(child);
      return child;
    },
    async close() {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.close()));
      await app.close();
      await sims.close();
      await clearQueues(config);
      await database.drop();
      rmSync(config.env.STATUS_DIR, { recursive: true, force: true });
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}

/**
 * A loopback port held by a listener until the API takes it over. Released at once, it could go to one of the many
 * connections opened while the stack starts, whose local ports the kernel draws from the same range.
 */
async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
