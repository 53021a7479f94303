import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Env, envSchema } from './config.schema';
import { ChannelCatalog, parseChannelCatalog } from './channel-catalog';

export interface AppConfig {
  readonly env: Env;
  readonly channels: ChannelCatalog;
}

export class ConfigError extends Error {}

/** Validates the environment once; the message names every bad variable so start-up fails fast and clearly. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const file = resolve(env.CHANNELS_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`CHANNELS_FILE ${file}: ${(err as Error).message}`);
  }
  return deepFreeze({ env, channels: parseChannelCatalog(raw, file) });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
