import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { drawFault, Fault, FaultSettings, latencyOf } from './faults';
import { ReceivedLog, ReceivedStats } from './received-log';

/** A provider's answer to one request. `then` runs once it is written (e.g. to schedule status callbacks). */
export interface Reply {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string | number>;
  then?: () => void;
}

/** Returned by `answer` for a request that must never be answered (a `hang` fault). */
export const HANG = Symbol('hang');

export interface SimulatorOptions<C> {
  /** Full records kept for `received()`; every request is counted regardless. Default 10,000. */
  recordCap?: number;
  /** Settings at start-up, and what `reset()` returns to. */
  config?: Partial<C>;
}

interface Received<R, E> {
  stats: ReceivedStats & E;
  records: (R & { at: number; status: number })[];
}

/**
 * A loopback HTTP/1.1 server playing one provider: latency and faults from its settings, a bounded record of what it
 * received, and admin routes under /__sim/ so another process (the benchmark, the local run) can inspect and steer it:
 * GET stats, GET received?offset=&limit=, GET|PUT faults (any setting), POST reset.
 */
export abstract class ProviderSimulator<C extends FaultSettings, R, E extends object = object> {
  readonly server: http.Server;
  protected config: C;
  protected readonly log: ReceivedLog<R>;
  private readonly initial: C;
  private readonly unanswered = new Set<ServerResponse>();
  private readonly delayed = new Set<NodeJS.Timeout>();
  private origin = '';

  protected constructor(defaults: C, options: SimulatorOptions<C>) {
    this.initial = { ...defaults, ...options.config };
    this.config = { ...this.initial };
    this.log = new ReceivedLog<R>(options.recordCap ?? 10_000);
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    // Longer than any client keeps an idle socket, so a reused connection is never closed under a request.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  }

  /** Answers one provider request, or HANG. Implementations call `this.note()` and `this.fault()` themselves. */
  protected abstract answer(req: IncomingMessage, body: string): Reply | typeof HANG;

  get url(): string {
    return this.origin;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const printable = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.origin = `http://${printable}:${address.port}`;
    return this.origin;
  }

  /** Changes settings (faults, latency, per-recipient behaviour); unknown names are refused. Returns them all. */
  configure(patch: Partial<C>): C {
    for (const [key, value] of Object.entries(patch)) {
      const current: unknown = this.initial[key as keyof C];
      if (current === undefined) throw new Error(`unknown setting ${key}`);
      if (typeof value !== typeof current || Array.isArray(value) !== Array.isArray(current)) {
        throw new Error(`setting ${key} must be ${Array.isArray(current) ? 'an array' : typeof current}`);
      }
    }
    this.config = { ...this.config, ...patch };
    this.settingsChanged();
    return this.settings();
  }

  settings(): C {
    return { ...this.config };
  }

  stats(): ReceivedStats & E {
    return { ...this.log.stats(), ...this.extraStats() };
  }

  received(offset = 0, limit?: number): Received<R, E> {
    return { stats: this.stats(), records: this.log.list(offset, limit) };
  }

  /** Forgets what was received and returns to the start-up settings. */
  reset(): void {
    this.log.clear();
    this.config = { ...this.initial };
    this.settingsChanged();
  }

  async close(): Promise<void> {
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    for (const res of this.unanswered) res.destroy();
    this.unanswered.clear();
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Rebuild whatever is derived from the settings (lookup sets). */
  protected settingsChanged(): void {}

  /** Provider-specific counters added to the stats. */
  protected abstract extraStats(): E;

  protected fault(): Fault | null {
    return drawFault(this.config);
  }

  protected note(status: number, record: R): void {
    this.log.note(status, record);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (!req.url?.startsWith('/__sim/')) {
      this.log.opened();
      res.once('close', () => this.log.closed());
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString();
      if (req.url?.startsWith('/__sim/')) return this.admin(req, body, res);
      let reply: Reply | typeof HANG;
      try {
        reply = this.answer(req, body);
      } catch (err) {
        reply = { status: 500, body: JSON.stringify({ error: (err as Error).message }) };
      }
      if (reply === HANG) {
        this.unanswered.add(res);
        res.once('close', () => this.unanswered.delete(res));
        return;
      }
      this.deliver(res, reply);
    });
  }

  private deliver(res: ServerResponse, reply: Reply): void {
    const delay = latencyOf(this.config);
    if (delay <= 0) return write(res, reply);
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      write(res, reply);
    }, delay);
    this.delayed.add(timer);
  }

  private admin(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const route = `${req.method} ${url.pathname}`;
    const json = (status: number, value: unknown) => write(res, { status, body: JSON.stringify(value) });
    try {
      switch (route) {
        case 'GET /__sim/stats':
          return json(200, this.stats());
        case 'GET /__sim/received': {
          const offset = Number(url.searchParams.get('offset') ?? 0);
          const limit = Number(url.searchParams.get('limit') ?? 1_000);
          return json(200, this.received(offset, limit));
        }
        case 'GET /__sim/faults':
          return json(200, this.settings());
        case 'PUT /__sim/faults':
          return json(200, this.configure(JSON.parse(body || '{}') as Partial<C>));
        case 'POST /__sim/reset':
          this.reset();
          return write(res, { status: 204, body: '' });
        default:
          return json(404, { error: `no admin route ${route}` });
      }
    } catch (err) {
      return json(400, { error: (err as Error).message });
    }
  }
}

function write(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(reply.body),
    ...reply.headers,
  });
  res.end(reply.body);
  reply.then?.();
}
