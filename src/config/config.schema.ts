import { QueueName } from '../queues/jobs';
import { z } from 'zod';
import { quietWindowSetting } from './quiet-window';

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const optionalUrl = optionalString.pipe(z.string().url().optional());
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A comma-separated setting whose items must be among `allowed`; blanks and repeats are dropped. */
const commaList = <T extends string>(fallback: string, allowed: [T, ...T[]]) =>
  z
    .string()
    .default(fallback)
    .transform((text) => [
      ...new Set(
        text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(allowed)));

/**
 * Every environment variable Aviso reads. Keep this in step with docs/configuration.md (a unit test checks it).
 * The secrets (DATABASE_URL, TWILIO_AUTH_TOKEN, the credentials file) are never logged.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_BODY_BYTES: positiveInt(1_048_576),
  /** Requests per second per API key across all API processes, with a burst of twice that; 0 turns limits off. */
  API_RATE_PER_KEY: z.coerce.number().int().min(0).default(50),
  /** On SIGTERM the API answers /health/ready with 503 for this long, still serving, before it stops taking requests. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(5_000),

  DATABASE_URL: optionalUrl,
  DATABASE_POOL_SIZE: positiveInt(10),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Seed nodes of a Redis Cluster, `host:port,host:port`; when set, every Redis use goes to the cluster. */
  REDIS_CLUSTER_NODES: optionalString.pipe(
    z
      .string()
      .transform((list, ctx) =>
        list.split(',').map((node) => {
          const match = /^\s*([^\s:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\s*$/.exec(node);
          if (!match || Number(match[2]) > 65535) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${node}" is not host:port` });
            return { host: '', port: 0 };
          }
          return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
        }),
      )
      .optional(),
  ),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[^:]+$/, 'must not contain ":"')
    .default('{aviso}'),
  CHANNELS_FILE: z.string().default('config/channels.json'),
  /** Where the public status snapshot is written (status.json and a page per locale) and served from. */
  STATUS_DIR: z.string().default('./data/status'),
  /** Times on the status page are shown in this IANA time zone. */
  STATUS_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone, e.g. America/Bogota')
    .default('America/Bogota'),
  /** How Alertmanager's labels and annotations map to an event (POST /v1/integrations/alertmanager). */
  ALERTMANAGER_MAPPING_FILE: z.string().default('config/alertmanager.json'),

  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  NOTICE_COOLDOWN: z.coerce.number().int().min(0).default(600),
  /** How far in the future an event's occurredAt may be, for clocks that run ahead. */
  EVENT_MAX_CLOCK_SKEW: z.coerce.number().int().min(0).default(300),
  /** Status page linked from every notice; unset: no link. */
  STATUS_PAGE_URL: optionalUrl,
  /** SMS segments a notice may cost per customer; optional parts are dropped to fit (docs/notice-content.md). */
  SMS_MAX_SEGMENTS: positiveInt(1),
  /** A notice whose audience is larger waits for a second person's approval; 0: every notice that reaches anyone. */
  APPROVAL_THRESHOLD: z.coerce.number().int().min(0).default(1000),
  /** Seconds a notice may wait for approval before it is rejected as expired. */
  APPROVAL_TTL: positiveInt(1800),
  /** Local hours in which minor and major notices wait for the morning; empty turns it off. */
  QUIET_HOURS: quietWindowSetting,
  QUIET_HOURS_SEVERITIES: commaList('minor,major', ['critical', 'major', 'minor']),
  /** SMS one customer may get in a rolling 24 h across incidents (critical notices exempt); 0 turns it off. */
  SMS_DAILY_CAP: z.coerce.number().int().min(0).default(3),
  /** Price of one SMS segment, for the preview's cost estimate (in whatever currency the bank reads it). */
  SMS_SEGMENT_COST: z.coerce.number().min(0).default(0),
  PUSH_RATE_PER_SEC: positiveInt(5000),
  SMS_RATE_PER_SEC: positiveInt(100),
  /** Port of the worker's Prometheus endpoint (GET /metrics on HOST); 0 turns it off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /**
   * Queues this worker consumes. Planning in a process of its own keeps it from waiting behind send batches on one
   * event loop (see docs/performance.md); every queue needs at least one worker somewhere.
   */
  WORKER_QUEUES: commaList(
    'planning,push,sms',
    Object.values(QueueName) as [QueueName, ...QueueName[]],
  ).refine((queues) => queues.length > 0, { message: 'name at least one queue' }),
  WORKER_PLAN_CONCURRENCY: positiveInt(2),
  WORKER_PUSH_CONCURRENCY: positiveInt(4),
  WORKER_SMS_CONCURRENCY: positiveInt(4),
  /** Tries per batch for recipients whose provider failed transiently, and the first back-off (it doubles, with jitter). */
  SEND_ATTEMPTS: positiveInt(6),
  SEND_BACKOFF_MS: positiveInt(2_000),
  /** A job whose worker stops renewing its lock for this long (a killed process) is run again elsewhere. */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Pending rows untouched this long have their batch re-queued by the worker's recovery sweep. */
  RECOVERY_IDLE_SECONDS: positiveInt(120),
  RECOVERY_INTERVAL_SECONDS: positiveInt(30),
  /** A carrier report on a message no delivery names is dropped by the recovery sweep after waiting this long. */
  CARRIER_REPORT_WAIT_SECONDS: positiveInt(3_600),

  FCM_BASE_URL: optionalUrl,
  FIREBASE_PROJECT_ID: optionalString,
  GOOGLE_APPLICATION_CREDENTIALS: optionalString,
  TWILIO_BASE_URL: optionalUrl,
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_MESSAGING_SERVICE_SID: optionalString,
  TWILIO_FROM: optionalString,
  /** Bound on one push batch (a sendEach of up to 500), including firebase-admin's own retries. */
  PUSH_SEND_TIMEOUT_MS: positiveInt(10_000),
  /** Sockets to FCM (or its simulator) per process; idle ones are kept so parallel batches do not churn them. */
  PUSH_MAX_CONNECTIONS: positiveInt(1_000),
  SMS_SEND_TIMEOUT_MS: positiveInt(10_000),
  SMS_MAX_CONNECTIONS: positiveInt(200),
});

export type Env = z.infer<typeof envSchema>;
