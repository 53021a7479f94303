import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { until } from './until';

/** A loopback port nobody listens on right now (the daemon that gets it binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LocalDaemon {
  process: ChildProcess;
  /** Everything it wrote, for the error message when it does not come up. */
  output(): string;
  /** Ends this process (by its pid) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts a server binary a test needs and waits until `ready` holds; it dies with a clear message otherwise. */
export async function startDaemon(
  command: string,
  args: string[],
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<LocalDaemon> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const daemon: LocalDaemon = {
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await until(
      `${command} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${command} exited: ${output}`);
        return ready().catch(() => false);
      },
      timeoutMs,
      100,
    );
  } catch (err) {
    await daemon.stop();
    throw new Error(`${(err as Error).message}\n${output.slice(-2000)}`);
  }
  return daemon;
}
