import IORedis, { Redis } from 'ioredis';

const REDIS_START_HINT =
  'Start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no ' +
  '(or set REDIS_URL to a reachable server).';

/** BullMQ needs maxRetriesPerRequest: null on connections that block (workers); it is harmless for queues. */
function createRedis(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true });
}

/** Fails within `timeoutMs` with a message that says how to start Redis, instead of retrying forever. */
export async function connectRedis(url: string, timeoutMs = 3_000): Promise<Redis> {
  const redis = createRedis(url);
  const target = new URL(url);
  const where = `${target.hostname}:${target.port || 6379}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), timeoutMs);
      }),
    ]);
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new Error(`Redis at ${where} is not answering (${(err as Error).message}). ${REDIS_START_HINT}`);
  } finally {
    clearTimeout(timer);
  }
}
