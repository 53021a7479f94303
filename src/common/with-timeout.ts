/**
 * Settles with `promise`, or rejects after `ms` with `no answer within <ms> ms`. The Redis client queues commands
 * and retries forever while Redis is away (BullMQ needs it to); callers that must answer now bound their wait with
 * this. The promise itself is not cancelled.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
