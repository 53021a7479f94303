import IORedis, { Cluster, Redis, RedisOptions } from 'ioredis';
import { withTimeout } from '../common/with-timeout';
import { Env } from '../config/config.schema';

/** One Redis server, or a Redis Cluster: BullMQ, the rate limiter and the health probe take either. */
export type RedisClient = Redis | Cluster;

const REDIS_START_HINT =
  'Start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no ' +
  '(or set REDIS_URL to a reachable server).';

type RedisTarget = Pick<Env, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>;

/**
 * A client for the configured Redis: ioredis's Cluster client when REDIS_CLUSTER_NODES is set (REDIS_URL is then
 * ignored), else one connection to REDIS_URL. `options` apply to each connection either way.
 */
export function redisClient(env: RedisTarget, options: RedisOptions): RedisClient {
  if (!env.REDIS_CLUSTER_NODES) return new IORedis(env.REDIS_URL, options);
  return new Cluster(
    env.REDIS_CLUSTER_NODES.map(({ host, port }) => ({ host, port })),
    {
      lazyConnect: options.lazyConnect,
      enableOfflineQueue: options.enableOfflineQueue,
      enableReadyCheck: options.enableReadyCheck,
      redisOptions: options,
    },
  );
}

function describe(env: RedisTarget): string {
  if (env.REDIS_CLUSTER_NODES) {
    return `the Redis Cluster at ${env.REDIS_CLUSTER_NODES.map((n) => `${n.host}:${n.port}`).join(', ')}`;
  }
  const target = new URL(env.REDIS_URL);
  return `Redis at ${target.hostname}:${target.port || 6379}`;
}

/** Fails within `timeoutMs` with a message that says how to start Redis, instead of retrying forever. */
export async function connectRedis(env: RedisTarget, timeoutMs = 3_000): Promise<RedisClient> {
  // BullMQ needs maxRetriesPerRequest: null on connections that block (workers); it is harmless for queues.
  const redis = redisClient(env, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true });
  const where = describe(env);
  try {
    await withTimeout(
      redis.connect().then(() => redis.ping()),
      timeoutMs,
    );
    return redis;
  } catch (err) {
    redis.disconnect();
    const hint = env.REDIS_CLUSTER_NODES ? '' : ` ${REDIS_START_HINT}`;
    throw new Error(`${where} is not answering (${(err as Error).message}).${hint}`);
  }
}
