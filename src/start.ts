import 'reflect-metadata';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import { ApiKeysService } from './access/api-keys.service';
import { People } from './people/people.service';
import { createHttpApp } from './app/http-app';
import { AppConfig, loadConfig } from './config/app-config';
import { providersNeedingSimulator } from './providers/provider-settings';
import { startProviderSimulators } from './simulators';

/**
 * `npm start`: the API and a worker in one process (the embedded database serves one process), with the provider
 * simulators standing in for any provider that has no credentials. Production runs src/main.ts and src/worker.ts.
 */
async function main(): Promise<void> {
  const logger = new Logger('Start');
  const env = { ...process.env };
  const first = loadConfig(env);
  const simulate = providersNeedingSimulator(first.env);
  let stopSimulators = async () => {};
  if (simulate.length) {
    const sims = await startProviderSimulators({
      twilio: { callbackOrigin: `http://127.0.0.1:${first.env.PORT}` },
    });
    stopSimulators = sims.close;
    if (simulate.includes('push')) env.FCM_BASE_URL = sims.fcmUrl;
    if (simulate.includes('sms')) env.TWILIO_BASE_URL = sims.twilioUrl;
    const where = simulate.map((p) => (p === 'push' ? `push → ${sims.fcmUrl}` : `SMS → ${sims.twilioUrl}`));
    logger.warn(
      `No credentials for ${simulate.join(' and ')}: using the local provider simulators (${where.join(', ')}); ` +
        `nothing leaves this machine. See what they received at <simulator>/__sim/received.`,
    );
  }
  const config = loadConfig(env);
  const app = await createHttpApp(config, { withWorker: true });
  await app.listen(config.env.PORT, config.env.HOST);
  await writeLocalAdminKey(app, config, logger);
  await writeFirstPerson(app, config, logger);
  const origin = `http://${config.env.HOST === '127.0.0.1' ? 'localhost' : config.env.HOST}:${config.env.PORT}`;
  logger.log(`Aviso API and worker on ${origin} (console at ${origin}/console, OpenAPI at /docs)`);
  process.once('exit', () => void stopSimulators());
}

/** A first run has no API key at all: make an admin key and leave it in a file only this user can read. */
async function writeLocalAdminKey(app: INestApplication, config: AppConfig, logger: Logger): Promise<void> {
  const keys = app.get(ApiKeysService);
  if ((await keys.list()).some((k) => !k.revoked_at)) return;
  const created = await keys.create('local-admin', ['admin']);
  const dir = resolve(config.env.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'admin.key');
  writeFileSync(file, `${created.key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  logger.log(`Created an admin API key for local use in ${file}`);
}

const FIRST_PERSON = 'manager@aviso.local';

/**
 * A first run has nobody to sign in to the console: make an approver with a one-time password, left in a file only
 * this user can read. They choose their own password at first sign-in.
 */
async function writeFirstPerson(app: INestApplication, config: AppConfig, logger: Logger): Promise<void> {
  const people = app.get(People);
  if ((await people.count()) > 0) return;
  const created = await people.create(FIRST_PERSON, 'approver', 'start');
  const dir = resolve(config.env.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'first-sign-in.txt');
  writeFileSync(file, `email: ${FIRST_PERSON}\none-time password: ${created.oneTimePassword}\n`, {
    mode: 0o600,
  });
  chmodSync(file, 0o600);
  logger.log(
    `Created the console account ${FIRST_PERSON}: its one-time password is in ${file}; sign in at /console and ` +
      'choose your own. More people: stop the service, then npm run cli -- users:create --email E --role ' +
      'author|approver|viewer (a notice above APPROVAL_THRESHOLD needs a second person to approve it).',
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
