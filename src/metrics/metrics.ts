import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';

collectDefaultMetrics({ prefix: 'aviso_' });

/** Messages handed to a provider, by medium and by what became of each recipient. */
export const messagesTotal = new Counter({
  name: 'aviso_messages_total',
  help: 'Recipients settled by a batch attempt, by medium and outcome (sent, failed, retrying, fallback)',
  labelNames: ['medium', 'outcome'] as const,
});

const batchSeconds = new Histogram({
  name: 'aviso_batch_seconds',
  help: 'Time to send one batch and record its outcome',
  labelNames: ['medium'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/** Runs one batch job, observed in aviso_batch_seconds whether it succeeds or throws. */
export async function timeBatch(medium: 'push' | 'sms', work: () => Promise<void>): Promise<void> {
  const stop = batchSeconds.startTimer({ medium });
  try {
    await work();
  } finally {
    stop();
  }
}

export const eventsTotal = new Counter({
  name: 'aviso_events_total',
  help: 'Incident events received, by result (accepted, duplicate, stale)',
  labelNames: ['result'] as const,
});

/** Requests refused for their key's rate, and those let through unlimited because Redis did not answer. */
export const keyRateTotal = new Counter({
  name: 'aviso_api_key_rate_total',
  help: 'Requests checked against API_RATE_PER_KEY that were refused (limited) or let through unchecked (redis-down)',
  labelNames: ['result'] as const,
});

export const metricsRegistry = register;
