import { DeliveryLedger } from '../../src/dispatch/delivery-ledger';
import { CustomerFactory } from '../support/customer-factory';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

describe('Delivery ledger: recording outcomes', () => {
  let sut: TestApi;
  let ledger: DeliveryLedger;
  let noticeId: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    ledger = new DeliveryLedger(sut.db);
    const writer = await sut.bearer('events:write');
    const res = await sut.http.post('/v1/events').set('Authorization', writer).send(eventBody()).expect(202);
    noticeId = res.body.noticeId;
  });
  afterAll(() => sut.close());

  const rows = () =>
    sut.db
      .selectFrom('deliveries')
      .select(['customer_id', 'state', 'reason', 'provider_message_id', 'attempts'])
      .where('notice_id', '=', noticeId)
      .orderBy('customer_id')
      .execute();

  it('records a send that raced a cancel, and nothing else, over a skipped row', async () => {
    const [a, b, c, d] = await new CustomerFactory(sut.db).insertMany([{}, {}, {}, {}]);
    const plan = [
      { customer_id: a.id, state: 'pending' as const, reason: null },
      { customer_id: b.id, state: 'skipped' as const, reason: 'cancelled' },
      { customer_id: c.id, state: 'skipped' as const, reason: 'cancelled' },
      { customer_id: d.id, state: 'delivered' as const, reason: null },
    ];
    await sut.db
      .insertInto('deliveries')
      .values(plan.map((p) => ({ ...p, notice_id: noticeId, batch: 1, medium: 'sms' as const })))
      .execute();

    await ledger.recordOutcomes({ noticeId, medium: 'sms', batch: 1 }, [
      { customerId: a.id, state: 'sent', messageId: 'SMa' },
      { customerId: b.id, state: 'sent', messageId: 'SMb' },
      { customerId: c.id, state: 'failed', reason: 'rejected', providerCode: '21211' },
      { customerId: d.id, state: 'sent', messageId: 'SMd' },
    ]);

    const byCustomer = Object.fromEntries((await rows()).map((r) => [r.customer_id, r]));
    expect(byCustomer[a.id]).toMatchObject({ state: 'sent', provider_message_id: 'SMa', attempts: 1 });
    expect(byCustomer[b.id]).toMatchObject({ state: 'sent', provider_message_id: 'SMb', attempts: 1 });
    expect(byCustomer[c.id]).toMatchObject({ state: 'skipped', reason: 'cancelled', attempts: 0 });
    expect(byCustomer[d.id]).toMatchObject({ state: 'delivered', provider_message_id: null, attempts: 0 });
  });
});
