import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);

/** Push notifications each customer's device received, in order: title and body. */
function heard(stack: TestStack): Record<string, string[]> {
  const byToken: Record<string, string[]> = {};
  for (const r of stack.sims.fcm.received().records) {
    if (r.status !== 200) continue;
    const { title, body } = (r.message as { notification: { title: string; body: string } }).notification;
    (byToken[r.token as string] ??= []).push(`${title} | ${body}`);
  }
  return byToken;
}

describe('Restoration as it happens', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack();
  });
  afterAll(() => sut.close());

  it('tells "it is back" to exactly those whose channels are all back, once, and the resolution to the others', async () => {
    await sut.customers.insertMany([
      { id: 'R1', devices: ['tok-R1'], channels: { 'interbank-transfers': recently() } },
      {
        id: 'R2',
        devices: ['tok-R2'],
        channels: { 'interbank-transfers': recently(), 'bill-payments': recently() },
      },
      { id: 'R3', devices: ['tok-R3'], channels: { 'bill-payments': recently() } },
      { id: 'R4', devices: ['tok-R4'], channels: { 'card-payments': recently() } },
    ]);
    const incidentRef = 'INC-RESTORE';
    const post = async (over: Parameters<typeof eventBody>[0]) => {
      const res = await sut.http
        .post('/v1/events')
        .set('Authorization', sut.admin)
        .send(eventBody({ incidentRef, message: undefined, ...over }))
        .expect(202);
      for (const id of [res.body.noticeId, res.body.restorationNoticeId])
        if (id) await sut.waitForNotice(id, 'done');
      return res.body as { noticeId: string; restorationNoticeId: string | null };
    };

    await post({
      channels: [
        { id: 'interbank-transfers', status: 'down' },
        { id: 'bill-payments', status: 'down' },
      ],
      occurredAt: '2026-11-25T10:00:00Z',
    });
    const back = await post({
      type: 'updated',
      channels: [{ id: 'interbank-transfers', status: 'restored' }],
      occurredAt: '2026-11-25T12:00:00Z',
    });
    expect(back.restorationNoticeId).toEqual(expect.any(String));
    expect((await sut.deliveries(back.restorationNoticeId as string)).map((d) => d.customer_id)).toEqual([
      'R1',
    ]);
    expect((await sut.deliveries(back.noticeId)).map((d) => d.customer_id)).toEqual(['R2', 'R3']);
    const restored = await sut.http
      .get(`/v1/notices/${back.restorationNoticeId}`)
      .set('Authorization', sut.admin)
      .expect(200);
    expect(restored.body).toMatchObject({ type: 'restored', state: 'done', audience: { total: 1 } });

    // An update that brings nothing back starts no restoration, and R1, whose channels are all back, is not told.
    const still = await post({
      type: 'updated',
      channels: [{ id: 'bill-payments', status: 'degraded' }],
      occurredAt: '2026-11-25T13:00:00Z',
    });
    expect(still.restorationNoticeId).toBeNull();
    expect((await sut.deliveries(still.noticeId)).map((d) => d.customer_id)).toEqual(['R2', 'R3']);

    const resolved = await post({
      type: 'resolved',
      channels: [{ id: 'bill-payments', status: 'restored' }],
      occurredAt: '2026-11-25T15:00:00Z',
    });
    expect(resolved.restorationNoticeId).toBeNull();
    expect((await sut.deliveries(resolved.noticeId)).map((d) => d.customer_id)).toEqual(['R2', 'R3']);

    expect(heard(sut)).toEqual({
      'tok-R1': [
        'Falla en Transferencias interbancarias | Trabajamos para restablecerlo. Nunca te pediremos claves ni códigos.',
        'Servicio restablecido | Transferencias interbancarias ya funciona con normalidad. Nunca te pediremos claves ni códigos.',
      ],
      'tok-R2': [
        'Falla en Transferencias interbancarias y Pago de facturas | Trabajamos para restablecerlo. Nunca te pediremos claves ni códigos.',
        'Sigue la falla en Pago de facturas | Seguimos trabajando en ello. Nunca te pediremos claves ni códigos.',
        'Sigue la falla en Pago de facturas | Seguimos trabajando en ello. Nunca te pediremos claves ni códigos.',
        'Incidente resuelto | Transferencias interbancarias y Pago de facturas ya funcionan con normalidad. Gracias. Nunca te pediremos claves ni códigos.',
      ],
      'tok-R3': [
        'Falla en Pago de facturas | Trabajamos para restablecerlo. Nunca te pediremos claves ni códigos.',
        'Sigue la falla en Pago de facturas | Seguimos trabajando en ello. Nunca te pediremos claves ni códigos.',
        'Sigue la falla en Pago de facturas | Seguimos trabajando en ello. Nunca te pediremos claves ni códigos.',
        'Incidente resuelto | Pago de facturas ya funciona con normalidad. Gracias. Nunca te pediremos claves ni códigos.',
      ],
    });
  });
});
