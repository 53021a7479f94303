import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/app-config';
import { envSchema } from '../../../src/config/config.schema';
import { resolvePushSettings, resolveSmsSettings } from '../../../src/providers/provider-settings';

/** Docker is not on the test machines: this reads the compose file and the Dockerfile and checks what it can. */
const ROOT = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}
const compose = parse(read('docker/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const dockerfile = read('docker/Dockerfile');
/** What the image sets with ENV, under the compose file's own variables. */
const imageEnv = Object.fromEntries(
  [...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap(([, line]) =>
    [...line.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, k, v]) => [k, v.replace(/^"|"$/g, '')]),
  ),
);
const envOf = (name: string) => ({ ...imageEnv, ...services[name].environment });
const aviso = ['api', 'worker'];

/** The URL a node one-line health check fetches. */
function probed(name: string): URL {
  const test = services[name].healthcheck?.test.join(' ') ?? '';
  const url = /fetch\('([^']+)'\)/.exec(test)?.[1];
  if (!url) throw new Error(`${name}'s health check fetches no URL: ${test}`);
  return new URL(url);
}

/** The source file a `node dist/src/….js` command runs. */
const sourceOf = (command: string[]) =>
  command
    .find((a) => a.startsWith('dist/'))!
    .replace(/^dist\//, '')
    .replace(/\.js$/, '.ts');

describe('docker/compose.yaml and docker/Dockerfile', () => {
  it('run PostgreSQL, Redis with its append-only file, the simulators, the API and a worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'simulators', 'worker']);
    expect(services.redis.command?.join(' ')).toMatch(/--appendonly yes/);
  });

  it('give every service a health check, and wait only on services that have one', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, healthcheck: Boolean(service.healthcheck) }).toEqual({ name, healthcheck: true });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(Object.keys(services)).toContain(dependency);
        if (condition === 'service_healthy') expect(services[dependency].healthcheck).toBeDefined();
      }
    }
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
  });

  it("probe what each service serves: the API's port, the worker's metrics port, a simulator's port", () => {
    expect(probed('api').port).toBe(envOf('api').PORT);
    expect(probed('worker').port).toBe(envOf('worker').WORKER_METRICS_PORT);
    // The API's HealthController and the worker's metrics server both answer these paths.
    expect(read('src/health/health.controller.ts')).toMatch(/@Get\('ready'\)/);
    expect(read('src/metrics/metrics-server.ts')).toContain("case '/health/ready':");
    expect(probed('api').pathname).toBe('/health/ready');
    expect(probed('worker').pathname).toBe('/health/ready');
    const sims = envOf('simulators');
    expect([sims.SIM_FCM_PORT, sims.SIM_TWILIO_PORT]).toContain(probed('simulators').port);
    expect(read('src/simulators/simulator-server.ts')).toContain(`'GET ${probed('simulators').pathname}'`);
  });

  it('give the API and the worker a valid configuration naming only variables Aviso reads', () => {
    const known = Object.keys(envSchema.shape);
    for (const name of aviso) {
      const env = envOf(name);
      expect(Object.keys(services[name].environment ?? {}).filter((v) => !known.includes(v))).toEqual([]);
      const config = loadConfig({
        ...env,
        CHANNELS_FILE: join(ROOT, 'config/channels.json'),
        ALERTMANAGER_MAPPING_FILE: join(ROOT, 'config/alertmanager.json'),
      });
      // Two containers cannot share the embedded database, and a worker refuses to start without providers.
      expect(config.env.DATABASE_URL).toBeDefined();
      expect(resolvePushSettings(config.env)).not.toBeNull();
      expect(resolveSmsSettings(config.env)).not.toBeNull();
    }
  });

  it('point the API and the worker at services that exist, on the ports they listen on', () => {
    const sims = envOf('simulators');
    for (const name of aviso) {
      const env = envOf(name);
      expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
      expect(new URL(env.FCM_BASE_URL)).toMatchObject({ hostname: 'simulators', port: sims.SIM_FCM_PORT });
      expect(new URL(env.TWILIO_BASE_URL)).toMatchObject({
        hostname: 'simulators',
        port: sims.SIM_TWILIO_PORT,
      });
      expect(new URL(env.PUBLIC_BASE_URL)).toMatchObject({ hostname: 'api', port: envOf('api').PORT });
    }
    const command = services.simulators.command ?? [];
    const origin = new URL(command[command.indexOf('--callback-origin') + 1]);
    expect(origin).toMatchObject({ hostname: 'api', port: envOf('api').PORT });
  });

  it('run commands whose code exists, as a user that can write ./data', () => {
    const defaultCommand = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]) as string[];
    for (const command of [defaultCommand, services.worker.command!, services.simulators.command!]) {
      expect(existsSync(join(ROOT, sourceOf(command)))).toBe(true);
    }
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/chown -R node:node \/app\/data/);
  });

  it('let the API serve the status snapshot the worker writes: one volume at STATUS_DIR for both', () => {
    const statusDir = join('/app', loadConfig(envOf('api')).env.STATUS_DIR);
    for (const name of aviso) {
      expect(loadConfig(envOf(name)).env.STATUS_DIR).toBe(loadConfig(envOf('api')).env.STATUS_DIR);
      expect(services[name].volumes).toContain(`status:${statusDir}`);
    }
    expect(dockerfile).toContain(`mkdir -p ${statusDir}`);
  });

  it('leave node_modules, build output, data/ (the admin key) and .env out of the build context', () => {
    const rules = read('.dockerignore')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    const included = rules.filter((r) => r.startsWith('!')).map((r) => r.slice(1).replace(/\/$/, ''));
    for (const copied of [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap(([, s]) =>
      s.split(' '),
    )) {
      expect(included).toContain(copied.replace(/\/$/, ''));
    }
    expect(included.filter((p) => /^(node_modules|dist|data|\.env)/.test(p))).toEqual([]);
  });
});
