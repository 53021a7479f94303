import { createServer, Server, ServerResponse } from 'node:http';
import type { Readiness } from '../health/readiness';
import { metricsRegistry } from './metrics';

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

/**
 * The worker has no HTTP API; this serves its Prometheus metrics and the same health routes as the API:
 * `/health/live`, `/health/ready` and its alias `/health`.
 */
export async function serveMetrics(port: number, host: string, readiness: Readiness): Promise<Server> {
  const server = createServer((req, res) => {
    const fail = () => res.writeHead(500).end();
    if (req.method !== 'GET') return void res.writeHead(404).end();
    switch (req.url) {
      case '/metrics':
        return void metricsRegistry
          .metrics()
          .then(
            (body) => res.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(body),
            fail,
          );
      case '/health/live':
        return json(res, 200, { status: 'ok' });
      case '/health/ready':
      case '/health':
        return void readiness
          .check()
          .then((report) => json(res, report.status === 'ok' ? 200 : 503, report), fail);
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
