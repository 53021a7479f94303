import { ApiKeysService } from '../../src/access/api-keys.service';
import { QueueName } from '../../src/queues/jobs';
import { StatusPublisher } from '../../src/status/status-publisher';
import { eventBody } from '../support/event-factory';
import { withQueuePaused } from '../support/queue-control';
import { startTestStack, TestStack } from '../support/test-stack';
import { until } from '../support/until';

interface PublicIncident {
  ref: string;
  status: string;
  channels: { id: string; status: string }[];
  updates: { type: string; message: Record<string, string> | null }[];
}

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('Public status page under four-eyes approval', () => {
  let sut: TestStack;
  let approver: string;
  beforeAll(async () => {
    sut = await startTestStack({ env: { APPROVAL_THRESHOLD: '2', APPROVAL_TTL: '3600' } });
    approver = `Bearer ${(await sut.app.get(ApiKeysService).create('duty-manager', ['notices:approve'])).key}`;
    // Three users of each of these channels: one more than the threshold, so their notices wait.
    await sut.customers.insertMany(
      [1, 2, 3].map((n) => ({
        id: `S${n}`,
        devices: [`tok-S${n}`],
        channels: { 'mobile-app': recently(), 'bill-payments': recently(), 'online-banking': recently() },
      })),
    );
    await sut.customers.newCustomer({
      id: 'C1',
      devices: ['tok-C1'],
      channels: { 'card-payments': recently() },
    });
  });
  afterAll(() => sut?.close());

  const incidents = async (): Promise<PublicIncident[]> =>
    (await sut.http.get('/status.json').expect(200)).body.incidents;
  const incidentIn = async (ref: string) => (await incidents()).find((i) => i.ref === ref);
  /** Every public file, as served. */
  const publicText = async () =>
    (
      await Promise.all(
        ['/status.json', '/status', '/status/en/'].map((path) => sut.http.get(path).expect(200)),
      )
    )
      .map((res) => res.text)
      .join('\n');
  /** Resolves once a snapshot built after everything done so far is on disk. */
  const rebuilt = () => sut.app.get(StatusPublisher).request();
  const decide = (noticeId: string, decision: 'approve' | 'reject') =>
    sut.http.post(`/v1/notices/${noticeId}/${decision}`).set('Authorization', approver).expect(200);

  async function held(body: Parameters<typeof eventBody>[0]): Promise<string> {
    const { noticeId } = await sut.postEvent(eventBody(body));
    await sut.waitForNotice(noticeId, 'awaiting-approval');
    return noticeId;
  }

  it('leaves /status.json as it was while an event above the threshold awaits approval, and shows it once approved', async () => {
    const noticeId = await held({
      incidentRef: 'INC-GATE-1',
      channels: [{ id: 'mobile-app', status: 'down' }],
      message: { 'es-CO': 'La app no abre (aprobada).', en: 'The app does not open (approved).' },
      occurredAt: minutesAgo(30),
    });
    // An incident whose audience is within the threshold shows the page is being rewritten meanwhile.
    await sut.postEvent(
      eventBody({ incidentRef: 'INC-GATE-SMALL', channels: [{ id: 'atm-network', status: 'degraded' }] }),
    );
    await until(
      'the small incident on the page',
      async () => (await incidentIn('INC-GATE-SMALL')) !== undefined,
    );
    await rebuilt();
    expect((await incidents()).map((i) => i.ref)).toEqual(['INC-GATE-SMALL']);
    expect(await publicText()).not.toContain('La app no abre');

    await decide(noticeId, 'approve');
    await until(
      'the approved incident on the page',
      async () => (await incidentIn('INC-GATE-1')) !== undefined,
    );
    expect(await incidentIn('INC-GATE-1')).toMatchObject({
      status: 'open',
      channels: [{ id: 'mobile-app', status: 'down' }],
      updates: [{ type: 'opened', message: { en: 'The app does not open (approved).' } }],
    });
    expect(await publicText()).toContain('La app no abre (aprobada).');
  });

  it('never shows a rejected update, nor the channel states it brings', async () => {
    const noticeId = await held({
      incidentRef: 'INC-GATE-1',
      type: 'updated',
      channels: [
        { id: 'mobile-app', status: 'restored' },
        { id: 'bill-payments', status: 'down' },
      ],
      message: { 'es-CO': 'Texto rechazado.', en: 'Rejected text.' },
      occurredAt: minutesAgo(20),
    });
    await decide(noticeId, 'reject');
    await rebuilt();
    expect(await incidentIn('INC-GATE-1')).toMatchObject({
      channels: [{ id: 'mobile-app', status: 'down' }],
      updates: [{ type: 'opened' }],
    });
    expect(await publicText()).not.toContain('Texto rechazado');
  });

  it('never shows an incident whose opening was rejected or expired unapproved', async () => {
    const rejected = await held({
      incidentRef: 'INC-GATE-REJECTED',
      channels: [{ id: 'online-banking', status: 'down' }],
      message: { 'es-CO': 'Apertura rechazada.', en: 'Opening rejected.' },
    });
    await decide(rejected, 'reject');
    const expiring = await held({
      incidentRef: 'INC-GATE-EXPIRED',
      channels: [{ id: 'online-banking', status: 'degraded' }],
      message: { 'es-CO': 'Apertura vencida.', en: 'Opening expired.' },
    });
    // As if it had waited two hours: the worker's next sweep expires it.
    await sut.db
      .updateTable('notices')
      .set({ planned_at: new Date(Date.now() - 2 * 3600 * 1000) })
      .where('id', '=', expiring)
      .execute();
    expect((await sut.waitForNotice(expiring, 'rejected')).rejection).toBe('expired');
    await rebuilt();
    const refs = (await incidents()).map((i) => i.ref);
    expect(refs).not.toContain('INC-GATE-REJECTED');
    expect(refs).not.toContain('INC-GATE-EXPIRED');
    expect(await publicText()).not.toMatch(/Apertura (rechazada|vencida)/);
  });

  it('withdraws a cancelled notice from the page', async () => {
    // Pushes wait in the paused queue, so the notice is still sending when it is cancelled.
    await withQueuePaused(sut.config, QueueName.Push, async () => {
      const { noticeId } = await sut.postEvent(
        eventBody({
          incidentRef: 'INC-GATE-CANCELLED',
          channels: [{ id: 'card-payments', status: 'down' }],
          message: { 'es-CO': 'Aviso cancelado.', en: 'Cancelled notice.' },
        }),
      );
      await sut.waitForNotice(noticeId, 'sending');
      await until(
        'the incident on the page',
        async () => (await incidentIn('INC-GATE-CANCELLED')) !== undefined,
      );
      await sut.http.post(`/v1/notices/${noticeId}/cancel`).set('Authorization', sut.admin).expect(200);
    });
    await until(
      'the cancelled incident off the page',
      async () => (await incidentIn('INC-GATE-CANCELLED')) === undefined,
    );
    expect(await publicText()).not.toContain('Aviso cancelado');
  });
});
