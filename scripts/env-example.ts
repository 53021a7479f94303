import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../src/config/config.schema';

/**
 * Writes .env.example from the configuration schema (names, order, defaults) and docs/configuration.md (what each
 * variable means): `npm run env:example` after adding a variable. test/unit/config/env-example.test.ts fails until
 * the file is regenerated.
 */
const ROOT = join(__dirname, '..');
const meanings = new Map<string, string>();
for (const line of readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8').split('\n')) {
  const row = /^\|\s*`([A-Z][A-Z0-9_]*)`[^|]*\|[^|]*\|\s*(.*?)\s*\|$/.exec(line);
  if (row) meanings.set(row[1], row[2].replace(/`/g, ''));
}
const defaults = envSchema.parse({}) as Record<string, unknown>;
const lines = [
  '# Every variable Aviso reads, with its default (docs/configuration.md says more). Aviso reads the environment only:',
  "# copy this to .env, uncomment what you change, and load it (`set -a; . ./.env; set +a`, compose's env_file, systemd's",
  '# EnvironmentFile). Written by `npm run env:example` from src/config/config.schema.ts; a test keeps them in step.',
  '',
];
for (const name of Object.keys(envSchema.shape)) {
  const value = defaults[name];
  lines.push(`# ${meanings.get(name) ?? ''}`, `# ${name}=${value === undefined ? '' : String(value)}`);
}
writeFileSync(join(ROOT, '.env.example'), `${lines.join('\n')}\n`);
