import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);

describe('Daily SMS cap', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack({ env: { SMS_DAILY_CAP: '3' } });
    await sut.customers.insertMany([
      { id: 'S1', phone: '+573009990001', devices: [], channels: { 'atm-network': recently() } },
      { id: 'P1', phone: null, devices: ['tok-P1'], channels: { 'atm-network': recently() } },
    ]);
  });
  afterAll(() => sut.close());

  const smsCount = () => sut.sims.twilio.received().records.filter((r) => r.status === 201).length;
  const incident = async (ref: string, severity: 'major' | 'critical') => {
    const { noticeId } = await sut.postEvent(
      eventBody({ incidentRef: ref, severity, channels: [{ id: 'atm-network', status: 'down' }] }),
    );
    await sut.waitForNotice(noticeId, 'done');
    return sut.deliveries(noticeId);
  };

  it('skips a fourth SMS in 24 h across incidents with the reason sms-cap; push and critical notices are not capped', async () => {
    for (const ref of ['INC-CAP-1', 'INC-CAP-2', 'INC-CAP-3']) {
      const rows = await incident(ref, 'major');
      expect(rows.find((r) => r.customer_id === 'S1')).toMatchObject({ medium: 'sms', reason: null });
    }
    expect(smsCount()).toBe(3);

    const fourth = await incident('INC-CAP-4', 'major');
    expect(fourth).toEqual([
      { customer_id: 'P1', medium: 'push', state: 'sent', reason: null },
      { customer_id: 'S1', medium: 'sms', state: 'skipped', reason: 'sms-cap' },
    ]);
    expect(smsCount()).toBe(3);

    const critical = await incident('INC-CAP-5', 'critical');
    expect(critical.find((r) => r.customer_id === 'S1')?.state).toMatch(/^(sent|delivered)$/);
    expect(smsCount()).toBe(4);
    expect(sut.sims.fcm.received().records.filter((r) => r.status === 200)).toHaveLength(5);
  });
});
