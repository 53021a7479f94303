import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { eventBody } from '../support/event-factory';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { startTestApi, TestApi } from '../support/test-api';
import { startTestStack, TestStack } from '../support/test-stack';
import { until } from '../support/until';

interface Snapshot {
  incidents: {
    ref: string;
    status: string;
    resolvedAt: string | null;
    channels: { id: string; name: Record<string, string>; status: string }[];
    updates: { type: string; message: Record<string, string> }[];
  }[];
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** Every file of the snapshot, as text. */
function snapshotFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

describe('Public status page', () => {
  describe('served from the snapshot', () => {
    let sut: TestApi;
    let proxy: TcpProxy;
    let writer: string;
    let incidentsReader: string;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      // The API reaches PostgreSQL through a relay the test can cut, leaving the machine's server to everyone else.
      const database = await createTestDatabase('status');
      drop = database.drop;
      proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) });
      const url = new URL(database.url);
      url.port = String(proxy.port);
      sut = await startTestApi('postgres', { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '2' });
      // An event is public once the planner released its notice.
      await sut.startWorker();
      writer = await sut.bearer('events:write');
      incidentsReader = await sut.bearer('incidents:read');
    });
    afterAll(async () => {
      await sut?.close();
      await drop?.();
    });

    const post = (body: object) =>
      sut.http.post('/v1/events').set('Authorization', writer).send(body).expect(202);
    const snapshot = async (): Promise<Snapshot> => (await sut.http.get('/status.json').expect(200)).body;
    const incidentIn = async (ref: string) => (await snapshot()).incidents.find((i) => i.ref === ref);

    it('has a snapshot from the start, and changes it with each event', async () => {
      expect((await snapshot()).incidents).toEqual([]);
      const first = await sut.http.get('/status.json').expect(200);
      expect(first.headers['cache-control']).toBe('public, max-age=15');
      expect(first.headers.etag).toBeTruthy();
      await sut.http.get('/status.json').set('If-None-Match', first.headers.etag).expect(304);

      await post(
        eventBody({
          incidentRef: 'INC-STATUS-1',
          channels: [
            { id: 'mobile-app', status: 'down' },
            { id: 'bill-payments', status: 'degraded' },
          ],
          message: {
            'es-CO': 'La app no abre. Estamos trabajando.',
            en: 'The app does not open. We are on it.',
          },
          nextUpdateAt: new Date(Date.now() + 3600_000).toISOString(),
          occurredAt: minutesAgo(30),
        }),
      );
      await until(
        'the opening in the snapshot',
        async () => (await incidentIn('INC-STATUS-1')) !== undefined,
      );
      const opened = await incidentIn('INC-STATUS-1');
      expect(opened).toMatchObject({
        status: 'open',
        resolvedAt: null,
        nextUpdateAt: expect.any(String),
        channels: [
          { id: 'mobile-app', name: { 'es-CO': 'App móvil', en: 'Mobile app' }, status: 'down' },
          {
            id: 'bill-payments',
            name: { 'es-CO': 'Pago de facturas', en: 'Bill payments' },
            status: 'degraded',
          },
        ],
        updates: [{ type: 'opened', message: { en: 'The app does not open. We are on it.' } }],
      });
      expect((await sut.http.get('/status/es-CO/').expect(200)).text).toContain('Próxima actualización');
      const changed = await sut.http.get('/status.json').set('If-None-Match', first.headers.etag).expect(200);
      expect(changed.headers.etag).not.toBe(first.headers.etag);

      await post(
        eventBody({
          incidentRef: 'INC-STATUS-1',
          type: 'updated',
          channels: [{ id: 'mobile-app', status: 'restored' }],
          message: {
            'es-CO': 'La app volvió; pagos aún con fallas.',
            en: 'The app is back; payments still fail.',
          },
          occurredAt: minutesAgo(20),
        }),
      );
      await until(
        'the update in the snapshot',
        async () => (await incidentIn('INC-STATUS-1'))?.updates.length === 2,
      );
      expect((await incidentIn('INC-STATUS-1'))?.channels.map((c) => c.status)).toEqual([
        'restored',
        'degraded',
      ]);

      await post(
        eventBody({
          incidentRef: 'INC-STATUS-1',
          type: 'resolved',
          channels: [{ id: 'bill-payments', status: 'restored' }],
          message: { 'es-CO': 'Todo funciona de nuevo.', en: 'Everything works again.' },
          occurredAt: minutesAgo(10),
        }),
      );
      await until(
        'the resolution in the snapshot',
        async () => (await incidentIn('INC-STATUS-1'))?.status === 'resolved',
      );
      const resolved = await incidentIn('INC-STATUS-1');
      expect(resolved?.updates.map((u) => u.type)).toEqual(['opened', 'updated', 'resolved']);
      expect(resolved?.resolvedAt).not.toBeNull();

      const es = await sut.http.get('/status').expect(200);
      expect(es.headers['content-type']).toMatch(/^text\/html/);
      expect(es.headers['cache-control']).toBe('public, max-age=15');
      expect(es.text).toContain('<html lang="es-CO">');
      expect(es.text).toContain('Todo funciona de nuevo.');
      expect(es.text).toContain('Pago de facturas');
      // Resolved: no next update is promised any more.
      expect(resolved).toMatchObject({ nextUpdateAt: null });
      expect(es.text).not.toContain('Próxima actualización');
      const en = await sut.http.get('/status/en/').expect(200);
      expect(en.text).toContain('<html lang="en">');
      expect(en.text).toContain('Everything works again.');
      expect(en.text).not.toMatch(/<script/i);
      const unknown = await sut.http.get('/status/fr').expect(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
    });

    it('a stale event moves nothing on the page, and a resolved incident older than a week leaves it', async () => {
      await post(eventBody({ incidentRef: 'INC-STATUS-OLD', occurredAt: minutesAgo(60 * 24 * 10) }));
      await post(
        eventBody({ incidentRef: 'INC-STATUS-OLD', type: 'resolved', occurredAt: minutesAgo(60 * 24 * 8) }),
      );
      await post(eventBody({ incidentRef: 'INC-STATUS-NEW', occurredAt: minutesAgo(5) }));
      await until(
        'the new incident in the snapshot',
        async () => (await incidentIn('INC-STATUS-NEW')) !== undefined,
      );
      expect(await incidentIn('INC-STATUS-OLD')).toBeUndefined();
      // Open incidents come first.
      expect((await snapshot()).incidents.map((i) => i.ref)).toEqual(['INC-STATUS-NEW', 'INC-STATUS-1']);
    });

    it('keeps answering while the database connection is refused', async () => {
      // Let the builds the events and releases asked for finish, so the files stay as they are from here on.
      await sut.statusSettled();
      const before = await sut.http.get('/status.json').expect(200);
      await proxy.cut();
      const reader = await sut.http.get('/v1/incidents').set('Authorization', incidentsReader);
      expect(reader.status).toBeGreaterThanOrEqual(500);

      const json = await sut.http.get('/status.json').expect(200);
      expect(json.body).toEqual(before.body);
      expect(json.headers.etag).toBe(before.headers.etag);
      await sut.http.get('/status.json').set('If-None-Match', before.headers.etag).expect(304);
      const page = await sut.http.get('/status').expect(200);
      expect(page.text).toContain('INC-STATUS-NEW');
      await sut.http.get('/status/en').expect(200);
    });
  });

  describe('of an incident with thousands of recipients', () => {
    let sut: TestStack;
    beforeAll(async () => {
      sut = await startTestStack();
    });
    afterAll(() => sut?.close());

    it('holds no phone number, device token, customer id or internal id, and no count of recipients', async () => {
      const recently = new Date(Date.now() - 3 * 24 * 3600 * 1000);
      const customers = await sut.customers.insertMany(
        Array.from({ length: 3000 }, (_, i) => ({
          id: `CUST${String(i).padStart(6, '0')}`,
          phone: `+57301${String(1_000_000 + i).slice(1)}`,
          devices: i % 3 === 0 ? [] : [`fcm-token-${i}-${'x'.repeat(20)}`],
          channels: { 'mobile-app': recently },
        })),
      );
      const { noticeId, incidentId } = await sut.postEvent(
        eventBody({ incidentRef: 'INC-STATUS-MANY', occurredAt: minutesAgo(1) }),
      );
      await sut.waitForNotice(noticeId, 'done', 180_000);
      const told = await sut.deliveries(noticeId);
      expect(told).toHaveLength(3000);
      await until('the incident in the snapshot', async () =>
        JSON.stringify((await sut.http.get('/status.json').expect(200)).body).includes('INC-STATUS-MANY'),
      );

      const files = snapshotFiles(sut.config.env.STATUS_DIR);
      expect(files.map((f) => f.path.slice(sut.config.env.STATUS_DIR.length)).sort()).toEqual([
        '/en/index.html',
        '/es-CO/index.html',
        '/index.html',
        '/status.json',
      ]);
      const event = await sut.db
        .selectFrom('events')
        .select('id')
        .where('notice_id', '=', noticeId)
        .executeTakeFirstOrThrow();
      const forbidden = [
        noticeId,
        incidentId,
        event.id,
        ...customers.flatMap((c) => [c.id, c.phone as string, ...c.devices]),
        // Local forms of the numbers, in case a page reformatted them.
        ...customers.map((c) => (c.phone as string).slice(3)),
      ];
      for (const { path, text } of files) {
        const found = forbidden.filter((value) => text.includes(value));
        expect({ path, found }).toEqual({ path, found: [] });
        expect({
          path,
          counts: text.match(/\b(3000|3\.000|3,000|2000|2\.000|2,000|1000|1\.000|1,000)\b/g),
        }).toEqual({
          path,
          counts: null,
        });
      }
      const json = JSON.parse(files.find((f) => f.path.endsWith('status.json'))!.text);
      const isLocale = (key: string) => sut.config.channels.locales.includes(key);
      const keys = new Set<string>();
      const collect = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(collect);
        else if (value && typeof value === 'object')
          for (const [k, v] of Object.entries(value)) {
            keys.add(k);
            if (!isLocale(k)) collect(v);
          }
      };
      collect(json);
      expect([...keys].filter((k) => !isLocale(k)).sort()).toEqual(
        [
          'advice',
          'assurances',
          'at',
          'channels',
          'defaultLocale',
          'generatedAt',
          'id',
          'incidents',
          'locales',
          'message',
          'name',
          'nextUpdateAt',
          'openedAt',
          'ref',
          'resolvedAt',
          'severity',
          'status',
          'title',
          'type',
          'updates',
        ].sort(),
      );
    });
  });
});
