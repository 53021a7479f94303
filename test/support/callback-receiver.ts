import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface Callback {
  path: string;
  signature: string;
  params: Record<string, string>;
}

/** Stands in for Aviso's public status endpoint, reached through a simulator's callbackOrigin, on `host`. */
export async function callbackReceiver(host = '127.0.0.1') {
  const received: Callback[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      received.push({ path: req.url ?? '', signature: String(req.headers['x-twilio-signature']), params });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections());
  return { received, origin, close };
}
