import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LocalDaemon, startDaemon } from './local-daemon';

const run = promisify(execFile);

export const redisCli = (port: number, ...args: string[]) =>
  run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 30_000 });

/** A redis-server of a test's own on a loopback port, persisting nothing; stop() ends exactly this process. */
export function startRedisServer(port: number, args: string[] = []): Promise<LocalDaemon> {
  return startDaemon(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    async () => (await redisCli(port, 'ping')).stdout.trim() === 'PONG',
  );
}
