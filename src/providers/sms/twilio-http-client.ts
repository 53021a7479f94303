import http from 'node:http';
import type https from 'node:https';
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/** A 429 with the Retry-After Twilio sent, which the SDK's RestException would drop. */
export class TwilioThrottled extends Error {
  constructor(
    readonly code: number | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super('Twilio answered 429 Too Many Requests');
    this.name = 'TwilioThrottled';
  }
}

interface TwilioTransport {
  /** Another Twilio-compatible origin (the simulator); path and query are kept. */
  origin?: URL;
  timeoutMs: number;
  maxConnections: number;
}

/**
 * The twilio SDK's HTTP client, sent to `origin` when one is given, with a timeout per request and a keep-alive
 * pool sized for the sender's concurrency. The SDK itself does not retry (autoRetry stays off): BullMQ does.
 */
export class TwilioHttpClient extends RequestClient {
  private readonly origin: string | undefined;
  private readonly plainAgent: http.Agent | undefined;

  constructor(transport: TwilioTransport) {
    const pool = { maxSockets: transport.maxConnections, maxFreeSockets: transport.maxConnections };
    super({
      timeout: transport.timeoutMs,
      keepAlive: true,
      maxTotalSockets: transport.maxConnections,
      ...pool,
    });
    this.origin = transport.origin?.origin;
    if (transport.origin?.protocol === 'http:') {
      this.plainAgent = new http.Agent({ keepAlive: true, timeout: transport.timeoutMs, ...pool });
      this.axios.defaults.httpAgent = this.plainAgent;
    }
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const response = await super.request(this.origin ? { ...opts, uri: this.reroute(opts.uri) } : opts);
    if (response.statusCode === 429) {
      const body = (typeof response.body === 'object' ? response.body : {}) as { code?: number };
      throw new TwilioThrottled(body?.code, retryAfterMs(response.headers));
    }
    return response;
  }

  destroy(): void {
    (this.axios.defaults.httpsAgent as https.Agent | undefined)?.destroy();
    this.plainAgent?.destroy();
  }

  private reroute(uri: string): string {
    const url = new URL(uri);
    return `${this.origin}${url.pathname}${url.search}`;
  }
}

function retryAfterMs(headers: unknown): number | undefined {
  const value = (headers as Record<string, unknown> | undefined)?.['retry-after'];
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
