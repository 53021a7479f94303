import { sql } from 'kysely';
import { BatchLedger } from '../../src/ledger/batches.ledger';
import { CarrierReportLedger } from '../../src/ledger/carrier-reports.ledger';
import { CustomerFactory } from '../support/customer-factory';
import { eventBody } from '../support/event-factory';
import { until } from '../support/until';
import { startTestApi, TestApi } from '../support/test-api';

describe('Delivery ledger: recording outcomes', () => {
  let sut: TestApi;
  let ledger: BatchLedger;
  let reports: CarrierReportLedger;
  let noticeId: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    reports = new CarrierReportLedger(sut.db);
    ledger = new BatchLedger(sut.db, reports);
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

  const lockWaits = async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(sut.db);
    return rows[0].n;
  };

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

  it('applies a carrier report whose send was recorded while the report was being stored', async () => {
    const [customer] = await new CustomerFactory(sut.db).insertMany([{}]);
    const batch = { noticeId, medium: 'sms' as const, batch: 2 };
    await sut.db
      .insertInto('deliveries')
      .values({ notice_id: noticeId, customer_id: customer.id, batch: 2, medium: 'sms', state: 'pending' })
      .execute();
    // Another session's uncommitted report for the message holds the API's report insert back, after the API
    // has found no `sent` row for it: the moment a worker recording the send would slip through.
    let hold!: () => void;
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (hold = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const holder = sut.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('carrier_reports').values({ message_id: 'SMrace', state: 'failed' }).execute();
        hold();
        await released;
        throw new Error('rolled back on purpose');
      })
      .catch(() => undefined);
    await holding;
    const report = reports.recordCarrierStatuses([
      { messageId: 'SMrace', state: 'delivered', errorCode: null },
    ]);
    await until('the report insert to wait for the holder', async () => (await lockWaits()) > 0);

    // The worker records the send and finds no waiting report: the API's is not committed yet.
    await ledger.recordOutcomes(batch, [{ customerId: customer.id, state: 'sent', messageId: 'SMrace' }]);
    release();
    await Promise.all([holder, report]);

    const [row] = await sut.db
      .selectFrom('deliveries')
      .select('state')
      .where('customer_id', '=', customer.id)
      .execute();
    expect(row.state).toBe('delivered');
    expect(await sut.db.selectFrom('carrier_reports').selectAll().execute()).toEqual([]);
  });
});
