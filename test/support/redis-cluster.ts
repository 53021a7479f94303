import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalDaemon } from './local-daemon';
import { redisCli, startRedisServer } from './local-redis';
import { until } from './until';

const run = promisify(execFile);
/** A node's cluster bus listens on its port + 10000. */
const BUS_OFFSET = 10_000;

export interface LocalRedisCluster {
  /** The value for REDIS_CLUSTER_NODES. */
  nodes: string;
  close(): Promise<void>;
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port whose cluster bus port is free too. */
async function freeNodePort(taken: number[]): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.includes(port)) continue;
    if ((await canListen(port)) && (await canListen(port + BUS_OFFSET))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

/**
 * A three-master Redis Cluster of redis-server processes on free loopback ports, nothing persisted, their files in a
 * temporary directory. close() stops exactly these processes (by pid) and removes the directory.
 */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'aviso-redis-cluster-'));
  const daemons: LocalDaemon[] = [];
  const close = async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) ports.push(await freeNodePort(ports));
    for (const port of ports) {
      daemons.push(
        await startRedisServer(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--dir',
          dir,
        ]),
      );
    }
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      {
        timeout: 60_000,
      },
    );
    await until(
      'the cluster to agree on its slots',
      async () => {
        const infos = await Promise.all(ports.map((p) => redisCli(p, 'cluster', 'info')));
        return infos.every((i) => i.stdout.includes('cluster_state:ok'));
      },
      60_000,
      200,
    );
    return { nodes: addresses.join(','), close };
  } catch (err) {
    await close();
    throw err;
  }
}
