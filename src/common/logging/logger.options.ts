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

/**
 * `unlogged` routes skip pino-http altogether (no child logger, no line): providers' delivery reports arrive once or
 * twice per SMS and would otherwise be most of the API's work and most of its log.
 */
export function loggerOptions(env: Pick<Env, 'LOG_LEVEL'>, unlogged: Params['exclude'] = []): Params {
  return {
    exclude: unlogged,
    pinoHttp: {
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      customProps: () => ({ service: 'aviso' }),
    },
  };
}
