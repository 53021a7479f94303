/** How a simulator misbehaves. Rates are fractions of provider requests (0..1), drawn independently per request. */
export interface FaultSettings {
  /** Added to every answer, plus a uniform random 0..jitterMs. */
  latencyMs: number;
  jitterMs: number;
  /** Share answered with `errorStatus` (500 or 503): the provider's own failure. */
  errorRate: number;
  errorStatus: number;
  /** Share answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Share never answered: the request hangs until the client gives up or the simulator closes. */
  hangRate: number;
  /** The next `failNext` requests fail as `failNextAs`, before any rate is drawn (for deterministic retry tests). */
  failNext: number;
  failNextAs: Fault;
}

export type Fault = 'error' | 'rate-limit' | 'hang';

export const NO_FAULTS: FaultSettings = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatus: 503,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  hangRate: 0,
  failNext: 0,
  failNextAs: 'error',
});

/** Decides this request's fault, spending one of `failNext` if any is left. */
export function drawFault(settings: FaultSettings): Fault | null {
  if (settings.failNext > 0) {
    settings.failNext -= 1;
    return settings.failNextAs;
  }
  if (settings.errorRate > 0 && Math.random() < settings.errorRate) return 'error';
  if (settings.rateLimitRate > 0 && Math.random() < settings.rateLimitRate) return 'rate-limit';
  if (settings.hangRate > 0 && Math.random() < settings.hangRate) return 'hang';
  return null;
}

export function latencyOf(settings: FaultSettings): number {
  return settings.latencyMs + (settings.jitterMs > 0 ? Math.random() * settings.jitterMs : 0);
}
