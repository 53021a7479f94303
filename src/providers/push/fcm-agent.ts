import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

declare module 'node:http' {
  // Public in Node since 0.x and overridden by agent libraries, but missing from @types/node.
  interface Agent {
    addRequest(req: ClientRequest, options: RequestOptions): void;
  }
}

/** Not in firebase-admin's retryable I/O codes (ECONNRESET, ETIMEDOUT), so a request failed with it is not retried. */
export const DEADLINE_ERROR_CODE = 'EAVISO_DEADLINE';

/**
 * What one push batch put on the wire: its in-flight requests and the Retry-After of any 429 it got. Closing it
 * fails those requests with DEADLINE_ERROR_CODE and every later one (a firebase-admin retry waking from its
 * back-off) the same way, so the SDK gives up on them at once instead of retrying behind the caller's back.
 */
export class SendWindow {
  private readonly inFlight = new Set<ClientRequest>();
  private closed = false;
  private retryAfter: number | undefined;

  get retryAfterMs(): number | undefined {
    return this.retryAfter;
  }

  admit(req: ClientRequest): void {
    if (this.closed) {
      req.destroy(deadlineError());
      return;
    }
    this.inFlight.add(req);
    req.once('close', () => this.inFlight.delete(req));
    req.once('response', (res: IncomingMessage) => {
      if (res.statusCode === 429) this.noteRetryAfter(res.headers['retry-after']);
    });
  }

  close(): void {
    this.closed = true;
    for (const req of this.inFlight) req.destroy(deadlineError());
    this.inFlight.clear();
  }

  private noteRetryAfter(header: string | undefined): void {
    const seconds = Number(header);
    if (!header || !Number.isFinite(seconds) || seconds < 0) return;
    this.retryAfter = Math.max(this.retryAfter ?? 0, seconds * 1000);
  }
}

/**
 * The agent firebase-admin uses for every HTTP/1.1 request (the `httpAgent` app option). It keeps enough idle
 * sockets for whole batches in parallel (Node's default of 256 would churn connections with 500 requests per
 * sendEach), may send them to another origin (a simulator: plain TCP for `http:`; the Host header stays
 * fcm.googleapis.com), and ties each request to the SendWindow of the batch that made it.
 */
export class FcmAgent extends https.Agent {
  private readonly windows = new AsyncLocalStorage<SendWindow>();

  constructor(
    maxConnections: number,
    private readonly target?: URL,
  ) {
    super({
      keepAlive: true,
      maxSockets: maxConnections,
      maxFreeSockets: maxConnections,
      scheduling: 'lifo',
    });
  }

  /** Runs `send` so that every request it makes, including firebase-admin's delayed retries, joins `window`. */
  within<T>(window: SendWindow, send: () => Promise<T>): Promise<T> {
    return this.windows.run(window, send);
  }

  override addRequest(req: ClientRequest, options: RequestOptions): void {
    super.addRequest(req, options);
    this.windows.getStore()?.admit(req);
  }

  override createConnection(
    options: RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const target = this.target;
    if (!target) return super.createConnection(options, callback);
    if (target.protocol === 'http:') return net.connect(portOf(target, 80), target.hostname);
    return tls.connect({ host: target.hostname, port: portOf(target, 443), servername: target.hostname });
  }
}

function portOf(url: URL, fallback: number): number {
  return url.port ? Number(url.port) : fallback;
}

function deadlineError(): Error {
  return Object.assign(new Error('push batch deadline passed'), { code: DEADLINE_ERROR_CODE });
}
