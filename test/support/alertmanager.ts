import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDaemon } from './local-daemon';

/** Debian's prometheus-alertmanager package; .ci/run installs it when missing. */
const BINARY = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

export interface LocalAlertmanager {
  url: string;
  /** Posts alerts to its API (v2), as Prometheus would. */
  post(alerts: object[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real Alertmanager on a free loopback port, its state in a temporary directory, clustering off, routing every
 * alert to one webhook receiver. Short group timings so a test sees notifications within seconds.
 */
export async function startAlertmanager(webhook: {
  url: string;
  bearer: string;
}): Promise<LocalAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'aviso-alertmanager-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    JSON.stringify({
      route: {
        receiver: 'aviso',
        group_by: ['alertname'],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '2s',
      },
      receivers: [
        {
          name: 'aviso',
          webhook_configs: [
            {
              url: webhook.url,
              send_resolved: true,
              http_config: { authorization: { type: 'Bearer', credentials: webhook.bearer } },
            },
          ],
        },
      ],
    }),
  );
  const daemon = await startDaemon(
    BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    async () => (await fetch(`${url}/-/ready`)).ok,
  ).catch((err: Error) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    url,
    async post(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!res.ok) throw new Error(`Alertmanager refused the alerts: ${res.status} ${await res.text()}`);
    },
    async close() {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
