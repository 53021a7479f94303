import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import IORedis from 'ioredis';
import { freePort, poll } from './processes';

/**
 * A Redis of its own for a run that restarts it: on a free loopback port, with its append-only file in a temporary
 * folder, so a restart reloads what was written. Never the machine's Redis, which other runs share.
 */
export class RedisServer {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly logFile: string,
  ) {}

  static async start(logFile: string): Promise<RedisServer> {
    const server = new RedisServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'aviso-chaos-redis-')),
      logFile,
    );
    await server.run();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** SIGKILL, as a crash would, then start again on the same port and append-only file. */
  async crashAndRestart(): Promise<void> {
    await this.crash();
    await this.restart();
  }

  /** SIGKILL, as a crash would; `restart` brings it back on the same port and append-only file. */
  crash(): Promise<void> {
    return this.kill();
  }

  restart(): Promise<void> {
    return this.run();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    const log = openSync(this.logFile, 'a');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction');
    this.child = spawn('redis-server', args, { stdio: ['ignore', log, log] });
    closeSync(log);
    await poll(
      `redis-server on port ${this.port} to load its append-only file`,
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`redis-server exited; see ${this.logFile}`);
        const redis = new IORedis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        redis.on('error', () => undefined); // refused until it listens: the poll tries again
        const answer = await redis
          .connect()
          .then(() => redis.ping())
          .catch(() => null)
          .finally(() => redis.disconnect());
        return answer === 'PONG' ? true : undefined;
      },
      30_000,
      100,
    );
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
