import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChannelCatalog } from '../config/channel-catalog';
import { CheckedLines } from './customer-lines';
import type { ToLineWorker } from './customer-lines.worker';

/** The worker's heap: one stretch of lines and a few batches at a time (the API's RSS target is 300 MB in all). */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 32 };

/** Built code runs the compiled worker; tests run the sources, which need a TypeScript loader. */
const EXTENSION = extname(__filename);
const ENTRY = join(__dirname, `customer-lines.worker${EXTENSION}`);
const EXEC_ARGV = EXTENSION === '.ts' ? ['-r', '@swc-node/register'] : [];

/**
 * CustomerLines on a worker thread, for one upload: parsing and checking lines and building COPY rows take most of
 * an import's CPU in the API, and there they would hold up the event loop and the writes to PostgreSQL.
 * Answers come back in the order the pieces were sent.
 */
export class CustomerLinesWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (lines: CheckedLines) => void; reject: (err: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(catalog: ChannelCatalog) {
    this.worker = new Worker(ENTRY, {
      workerData: { catalog },
      execArgv: EXEC_ARGV,
      resourceLimits: RESOURCE_LIMITS,
    });
    this.worker.on('message', (message: CheckedLines) => this.waiting.shift()?.resolve(message));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) =>
      this.fail(new Error(`the line-checking worker exited with code ${code}`)),
    );
  }

  push(chunk: Buffer): Promise<CheckedLines> {
    // A copy of its own to hand over: the chunk may be a view into a larger buffer.
    const own = new Uint8Array(chunk);
    return this.send({ chunk: own }, [own.buffer]);
  }

  end(): Promise<CheckedLines> {
    return this.send({ end: true }, []);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private send(message: ToLineWorker, transfer: ArrayBuffer[]): Promise<CheckedLines> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.waiting.splice(0)) waiter.reject(err);
  }
}
