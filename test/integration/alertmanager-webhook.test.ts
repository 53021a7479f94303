import { AddressInfo } from 'node:net';
import { startAlertmanager, LocalAlertmanager } from '../support/alertmanager';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';
import { until } from '../support/until';

const ALERTNAME = `PaymentsDown${process.pid}`;

describe('Alertmanager webhook', () => {
  let sut: TestApi;
  let alertmanager: LocalAlertmanager;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    await sut.app.listen(0, '127.0.0.1');
    const { port } = sut.app.getHttpServer().address() as AddressInfo;
    alertmanager = await startAlertmanager({
      url: `http://127.0.0.1:${port}/v1/integrations/alertmanager`,
      bearer: (await sut.bearer('events:write')).slice('Bearer '.length),
    });
  }, 60_000);
  afterAll(async () => {
    await alertmanager?.close();
    await sut?.close();
  });

  const incident = () =>
    sut.db.selectFrom('incidents').selectAll().where('ref', 'like', `am-${ALERTNAME}-%`).executeTakeFirst();
  const events = async (incidentId: string) =>
    sut.db
      .selectFrom('events')
      .select(['type', 'notice_id'])
      .where('incident_id', '=', incidentId)
      .orderBy('received_at')
      .execute();
  const duplicates = async () => {
    const res = await sut.http.get('/metrics').expect(200);
    return Number(/aviso_events_total\{result="duplicate"\} (\d+)/.exec(res.text)?.[1] ?? 0);
  };

  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const alert = (channel: string, labels: Record<string, string> = {}, endsAt?: string) => ({
    labels: { alertname: ALERTNAME, aviso_channel: channel, ...labels },
    annotations: {
      aviso_message_es_CO: `Fallas en ${channel}. Tu dinero está seguro.`,
      aviso_message_en: `${channel} is failing. Your money is safe.`,
    },
    startsAt,
    ...(endsAt && { endsAt }),
  });

  it('opens one incident per group, ignores re-sends, restores a channel, then resolves', async () => {
    await alertmanager.post([
      alert('mobile-app', { severity: 'critical' }),
      alert('online-banking', { severity: 'page', aviso_status: 'degraded' }),
    ]);
    await until('the incident to open', async () => (await incident())?.channels.length === 2, 30_000, 200);
    const opened = await incident();
    expect(opened).toMatchObject({ status: 'open', severity: 'critical' });
    expect(opened?.ref.length).toBeLessThanOrEqual(64);
    expect(opened?.channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'mobile-app', status: 'down' }),
        expect.objectContaining({ id: 'online-banking', status: 'degraded' }),
      ]),
    );

    // repeat_interval is 2 s: Alertmanager sends the unchanged group again, and nobody is told twice.
    const before = await duplicates();
    await until('Alertmanager to repeat the group', async () => (await duplicates()) > before, 30_000, 200);
    expect(await events(opened!.id)).toEqual([{ type: 'opened', notice_id: expect.any(String) }]);

    await alertmanager.post([alert('mobile-app', { severity: 'critical' }, new Date().toISOString())]);
    await until(
      'mobile-app to be restored',
      async () =>
        !!(await incident())?.channels.some((c) => c.id === 'mobile-app' && c.status === 'restored'),
      30_000,
      200,
    );
    expect((await incident())?.status).toBe('open');

    await alertmanager.post([
      alert('online-banking', { severity: 'page', aviso_status: 'degraded' }, new Date().toISOString()),
    ]);
    await until(
      'the incident to resolve',
      async () => (await incident())?.status === 'resolved',
      30_000,
      200,
    );
    expect((await events(opened!.id)).map((e) => e.type)).toEqual(['opened', 'updated', 'resolved']);
  }, 120_000);

  it('needs events:write, refuses what is not an Alertmanager payload, and skips groups without Aviso alerts', async () => {
    const group = {
      version: '4',
      groupKey: '{}:{alertname="Other"}',
      status: 'firing',
      groupLabels: { alertname: 'Other' },
      commonLabels: {},
      alerts: [{ status: 'firing', labels: { alertname: 'Other' }, startsAt: startsAt, fingerprint: 'f1' }],
    };
    const reader = await sut.bearer('incidents:read');
    await sut.http.post('/v1/integrations/alertmanager').send(group).expect(401);
    await sut.http.post('/v1/integrations/alertmanager').set('Authorization', reader).send(group).expect(403);

    const writer = await sut.bearer('events:write');
    const post = (body: object) =>
      sut.http.post('/v1/integrations/alertmanager').set('Authorization', writer).send(body);
    await post(group).expect(204);
    const bad = await post(eventBody()).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([{ field: 'version', reason: expect.any(String) }]),
    );
    const silent = await post({
      ...group,
      alerts: [{ ...group.alerts[0], labels: { alertname: 'Other', aviso_channel: 'mobile-app' } }],
    }).expect(400);
    expect(silent.body.errors).toEqual([{ field: 'event.message', reason: expect.any(String) }]);
    const unknown = await post({
      ...group,
      alerts: [
        {
          ...group.alerts[0],
          labels: { alertname: 'Other', aviso_channel: 'teleport' },
          annotations: { aviso_message_es_CO: 'Fallas.' },
        },
      ],
    }).expect(400);
    expect(unknown.body.errors).toEqual([
      { field: 'channels[0].id', reason: expect.stringContaining('teleport') },
    ]);
  });
});
