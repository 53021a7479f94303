import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Env, envSchema } from './config.schema';
import { AlertmanagerMapping, parseAlertmanagerMapping } from './alertmanager-mapping';
import { ChannelCatalog, parseChannelCatalog } from './channel-catalog';

export interface AppConfig {
  readonly env: Env;
  readonly channels: ChannelCatalog;
  readonly alertmanager: AlertmanagerMapping;
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
  const channelsFile = resolve(env.CHANNELS_FILE);
  const channels = parseChannelCatalog(readJson('CHANNELS_FILE', channelsFile), channelsFile);
  const mappingFile = resolve(env.ALERTMANAGER_MAPPING_FILE);
  const alertmanager = parseAlertmanagerMapping(
    readJson('ALERTMANAGER_MAPPING_FILE', mappingFile),
    mappingFile,
    channels.locales,
  );
  return deepFreeze({ env, channels, alertmanager });
}

function readJson(variable: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${variable} ${file}: ${(err as Error).message}`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
