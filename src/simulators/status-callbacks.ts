import { createHmac } from 'node:crypto';
import http from 'node:http';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Posts waiting for a socket beyond this are dropped (counted failed), so a slow receiver cannot grow memory. */
const MAX_PENDING_POSTS = 10_000;

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the auth token over the URL and each sorted key and value. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export interface CallbackStats {
  /** Callbacks answered 2xx; answered otherwise, unreachable or dropped; refused for pointing off this machine. */
  delivered: number;
  failed: number;
  refused: number;
}

/**
 * Posts signed status callbacks. The signature covers the StatusCallback URL as the sender gave it (its public
 * address); the POST itself goes to `callbackOrigin` when set, keeping path and query. Without a `callbackOrigin`,
 * callbacks go to loopback addresses only, so a StatusCallback naming a real host never leaves the machine; a
 * `callbackOrigin` is the operator's explicit choice and is trusted (the compose file names the api service).
 */
export class StatusCallbackPoster {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly stats: CallbackStats = { delivered: 0, failed: 0, refused: 0 };
  private pending = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly authToken: string,
    private readonly callbackOrigin: string | undefined,
  ) {}

  counts(): CallbackStats {
    return { ...this.stats };
  }

  /** Forgets the counters and cancels the callbacks not yet due. */
  clear(): void {
    this.cancel();
    Object.assign(this.stats, { delivered: 0, failed: 0, refused: 0 });
  }

  /** Posts each of `statuses` in turn, `delayMs` apart, the first `delayMs` from now. */
  report(statusCallback: string, statuses: Record<string, string>[], delayMs: number): void {
    const [next, ...rest] = statuses;
    if (!next) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.post(statusCallback, next);
      this.report(statusCallback, rest, delayMs);
    }, delayMs);
    this.timers.add(timer);
  }

  private post(statusCallback: string, params: Record<string, string>): void {
    const target = this.targetOf(statusCallback);
    if (!target) {
      this.stats.refused += 1;
      return;
    }
    if (this.pending >= MAX_PENDING_POSTS) {
      this.stats.failed += 1;
      return;
    }
    this.pending += 1;
    const body = new URLSearchParams(params).toString();
    const req = http.request(target, {
      method: 'POST',
      agent: this.agent,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        'x-twilio-signature': twilioSignature(this.authToken, statusCallback, params),
        'user-agent': 'TwilioProxy/1.1',
      },
    });
    req.setTimeout(10_000, () => req.destroy(new Error('status callback timed out')));
    req.once('close', () => (this.pending -= 1));
    req.on('response', (res) => {
      res.resume();
      if (res.statusCode && res.statusCode < 300) this.stats.delivered += 1;
      else this.stats.failed += 1;
    });
    req.on('error', () => (this.stats.failed += 1));
    req.end(body);
  }

  close(): void {
    this.cancel();
    this.agent.destroy();
  }

  private cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private targetOf(statusCallback: string): URL | null {
    let url: URL;
    try {
      url = new URL(statusCallback);
      if (this.callbackOrigin) url = new URL(url.pathname + url.search, this.callbackOrigin);
    } catch {
      return null;
    }
    if (url.protocol !== 'http:') return null;
    return this.callbackOrigin || LOOPBACK_HOSTS.has(url.hostname) ? url : null;
  }
}
