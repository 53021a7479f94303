import type { Params } from 'nestjs-pino';
import type { Env } from '../../config/config.schema';

/** Headers and fields that carry secrets or personal data; pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  '*.phone',
  '*.token',
  '*.apiKey',
  '*.authToken',
];

export function loggerOptions(env: Pick<Env, 'LOG_LEVEL'>): Params {
  return {
    pinoHttp: {
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      customProps: () => ({ service: 'aviso' }),
    },
  };
}
