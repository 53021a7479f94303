import autocannon from 'autocannon';
import { ownCpuSeconds } from './cpu-meter';
import { report } from './protocol';

/**
 * The event API's load, in its own process: autocannon POSTs /v1/events for BENCH_DURATION seconds over
 * BENCH_CONNECTIONS connections. Half of the requests repeat an earlier event (its id and its exact body, as an
 * upstream retry would); the rest are new events, each opening its own incident. Reports autocannon's figures and
 * which event ids were answered 2xx, so the benchmark can check one notice per distinct id.
 */
async function main(): Promise<void> {
  const env = process.env;
  const bodies: string[] = [];
  const acceptedIds = new Set<string>();
  let fresh = 0;
  let repeats = 0;
  const result = await autocannon({
    url: `${env.BENCH_API_URL}/v1/events`,
    connections: Number(env.BENCH_CONNECTIONS ?? 20),
    duration: Number(env.BENCH_DURATION ?? 10),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          let body: string;
          if (bodies.length && Math.random() < 0.5) {
            body = bodies[Math.floor(Math.random() * bodies.length)];
            repeats++;
          } else {
            body = JSON.stringify(newEvent(`load-${process.pid}-${++fresh}`));
            bodies.push(body);
          }
          context.id = (JSON.parse(body) as { id: string }).id;
          return {
            ...request,
            method: 'POST',
            path: '/v1/events',
            headers: { authorization: env.BENCH_AUTHORIZATION ?? '', 'content-type': 'application/json' },
            body,
          };
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) acceptedIds.add(String(context.id));
        },
      },
    ],
  });
  report('done', {
    requestsPerSecond: result.requests.total / result.duration,
    total: result.requests.total,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    duration: result.duration,
    sent: { fresh, repeats },
    distinctIds: fresh,
    acceptedIds: acceptedIds.size,
    cpuSeconds: ownCpuSeconds(),
  });
}

function newEvent(id: string) {
  return {
    id,
    incidentRef: `INC-${id}`,
    type: 'opened',
    severity: 'major',
    channels: [{ id: 'mobile-app', status: 'down' }],
    message: { 'es-CO': 'Nuestra app presenta fallas.', en: 'Our app is failing.' },
    occurredAt: new Date().toISOString(),
  };
}

main().catch((err: Error) => {
  process.stderr.write(`api load failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
