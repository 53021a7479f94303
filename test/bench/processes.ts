import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Running from TypeScript (tests, through @swc-node/register) or from the build in dist/. */
const fromSource = __filename.endsWith('.ts');

/** The repository root, whichever way this file runs. */
export const ROOT = resolve(__dirname, fromSource ? '../..' : '../../..');

/** `src/main` → the file node runs for it: dist/src/main.js from a build, src/main.ts from source. */
export function entryOf(path: string): string {
  return fromSource ? join(ROOT, `${path}.ts`) : join(ROOT, 'dist', `${path}.js`);
}

function nodeArgsFor(file: string): string[] {
  return file.endsWith('.ts') ? ['-r', '@swc-node/register'] : [];
}

export interface SpawnOptions {
  env: Record<string, string>;
  args?: string[];
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** The process's stdout and stderr go to this file; `onLine` still sees stdout when given. */
  logFile: string;
  onLine?: (line: string) => void;
}

/** A process this benchmark started: stopped only by its own pid. */
export class BenchProcess {
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolveExit) => {
      child.once('exit', (code) => resolveExit(code));
      child.once('error', () => resolveExit(-1));
    });
  }

  static start(name: string, path: string, options: SpawnOptions): BenchProcess {
    const file = entryOf(path);
    mkdirSync(resolve(options.logFile, '..'), { recursive: true });
    const log = openSync(options.logFile, 'a');
    const child = spawn(
      process.execPath,
      [...nodeArgsFor(file), ...(options.nodeArgs ?? []), file, ...(options.args ?? [])],
      {
        cwd: ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', options.onLine ? 'pipe' : log, log],
      },
    );
    closeSync(log);
    const started = new BenchProcess(name, child, options.logFile);
    if (options.onLine && child.stdout) {
      const onLine = options.onLine;
      const copy = createWriteStream(options.logFile, { flags: 'a' });
      let rest = '';
      child.stdout.on('data', (chunk: Buffer) => {
        copy.write(chunk);
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
      child.stdout.once('close', () => copy.end());
    }
    return started;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for the process to end on its own; rejects after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<number | null> {
    const timeout = sleep(timeoutMs).then(() => {
      throw new Error(`${this.name} (pid ${this.pid}) did not exit within ${timeoutMs} ms`);
    });
    return Promise.race([this.exited, timeout]);
  }

  /** Peak resident memory (VmHWM) in MB, read from /proc while the process lives; null afterwards. */
  peakRssMb(): number | null {
    return peakRssOf(this.pid);
  }

  /** `signal` to this pid, then SIGKILL if it has not exited after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      return; // it ended in the meantime
    }
    const ended = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!ended && this.running) {
      process.kill(this.pid, 'SIGKILL');
      await this.exited;
    }
  }
}

export function peakRssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/**
 * A free loopback port for a process the benchmark starts, taken below the kernel's ephemeral range: a port from that
 * range, released for the child to listen on, can meanwhile become the local port of any connection on the machine.
 */
export async function freePort(): Promise<number> {
  const ephemeralStart = Number(
    readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
  );
  const lowest = 10_000;
  for (let attempt = 0; attempt < 50 && ephemeralStart > lowest; attempt++) {
    const port = lowest + Math.floor(Math.random() * (ephemeralStart - lowest));
    if (await listens(port)) return port;
  }
  throw new Error(`no free loopback port between ${lowest} and the ephemeral range (from ${ephemeralStart})`);
}

/** Whether a listener can take `port` on loopback now (it is closed again at once). */
function listens(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((done) => {
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** Polls `check` every `intervalMs` until it returns a value; rejects naming `what` after `timeoutMs`. */
export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
