import IORedis, { Cluster, Redis } from 'ioredis';
import { withTimeout } from '../common/with-timeout';
import { Env } from '../config/config.schema';

/** One Redis server, or a Redis Cluster: BullMQ, the rate limiter and the health probe take either. */
export type RedisClient = Redis | Cluster;

const REDIS_START_HINT =
  'Start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no ' +
  '(or set REDIS_URL to a reachable server).';

/** BullMQ needs maxRetriesPerRequest: null on connections that block (workers); it is harmless for queues. */
const CONNECTION = { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true } as const;

function createRedis(env: Pick<Env, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>): {
  redis: RedisClient;
  where: string;
} {
  if (env.REDIS_CLUSTER_NODES) {
    const nodes = env.REDIS_CLUSTER_NODES.map(({ host, port }) => ({ host, port }));
    return {
      redis: new Cluster(nodes, {
        lazyConnect: true,
        enableReadyCheck: true,
        redisOptions: { maxRetriesPerRequest: null },
      }),
      where: `the Redis Cluster at ${nodes.map((n) => `${n.host}:${n.port}`).join(', ')}`,
    };
  }
  const target = new URL(env.REDIS_URL);
  return {
    redis: new IORedis(env.REDIS_URL, CONNECTION),
    where: `Redis at ${target.hostname}:${target.port || 6379}`,
  };
}

/** Fails within `timeoutMs` with a message that says how to start Redis, instead of retrying forever. */
export async function connectRedis(
  env: Pick<Env, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>,
  timeoutMs = 3_000,
): Promise<RedisClient> {
  const { redis, where } = createRedis(env);
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
