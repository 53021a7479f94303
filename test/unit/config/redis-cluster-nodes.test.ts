import { envSchema } from '../../../src/config/config.schema';

describe('REDIS_CLUSTER_NODES', () => {
  const parse = (value: string | undefined) => envSchema.safeParse({ REDIS_CLUSTER_NODES: value });

  it('reads host:port pairs, IPv6 in brackets, spaces around them ignored', () => {
    expect(parse('redis-1:6379, 10.0.0.2:7000,[::1]:7001').data?.REDIS_CLUSTER_NODES).toEqual([
      { host: 'redis-1', port: 6379 },
      { host: '10.0.0.2', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
  });

  it('is off when unset or empty', () => {
    expect(parse(undefined).data?.REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parse('').data?.REDIS_CLUSTER_NODES).toBeUndefined();
  });

  it('names the node that is not host:port', () => {
    const result = parse('redis-1:6379,redis-2');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['"redis-2" is not host:port']);
    expect(parse('redis-1:70000').success).toBe(false);
  });
});
