import { sql } from 'kysely';
import { LOCAL_SIMULATOR } from '../../src/providers/provider-settings';
import { twilioSignature } from '../../src/simulators';
import { eventBody } from '../support/event-factory';
import { PUBLIC_BASE_URL, startTestStack, TestStack } from '../support/test-stack';
import { until } from '../support/until';

const CALLBACK_PATH = '/v1/providers/twilio/status';

describe('Carrier reports that find no send', () => {
  let sut: TestStack;

  beforeAll(async () => {
    // The worker's sweep runs every second and drops reports that waited more than two.
    sut = await startTestStack({ env: { CARRIER_REPORT_WAIT_SECONDS: '2' } });
  });
  afterAll(() => sut?.close());

  /** A final report as Twilio signs it, with the auth token the stack's Twilio settings use. */
  const report = (messageId: string, status: 'delivered' | 'undelivered') => {
    const form = { MessageSid: messageId, MessageStatus: status };
    return sut.http
      .post(CALLBACK_PATH)
      .type('form')
      .set(
        'X-Twilio-Signature',
        twilioSignature(LOCAL_SIMULATOR.authToken, PUBLIC_BASE_URL + CALLBACK_PATH, form),
      )
      .send(form);
  };
  const waiting = async () =>
    (await sut.db.selectFrom('carrier_reports').select('message_id').orderBy('message_id').execute()).map(
      (r) => r.message_id,
    );

  it('applies a report once and keeps nothing when the same signed callback is replayed', async () => {
    const [customer] = await sut.customers.insertMany([{ devices: [] }]);
    const { noticeId } = await sut.postEvent(eventBody({ media: ['push'] }));
    await sut.db
      .insertInto('deliveries')
      .values({
        notice_id: noticeId,
        customer_id: customer.id,
        batch: 9_999,
        medium: 'sms',
        state: 'sent',
        provider_message_id: 'SMreplayed',
      })
      .execute();

    expect((await report('SMreplayed', 'delivered')).status).toBeLessThan(300);
    const replays = await Promise.all([
      report('SMreplayed', 'delivered'),
      report('SMreplayed', 'undelivered'),
    ]);

    expect(replays.map((r) => r.status < 300)).toEqual([true, true]);
    const row = await sut.db
      .selectFrom('deliveries')
      .select('state')
      .where('provider_message_id', '=', 'SMreplayed')
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('delivered');
    expect(await waiting()).toEqual([]);
  });

  it('keeps a report on a message nobody sent for CARRIER_REPORT_WAIT_SECONDS, then drops it', async () => {
    expect((await report('SMnobody', 'delivered')).status).toBeLessThan(300);
    expect(await waiting()).toEqual(['SMnobody']);
    const { rows } = await sql<{ received_at: Date }>`
      SELECT received_at FROM carrier_reports WHERE message_id = 'SMnobody'`.execute(sut.db);

    await until('the sweep to drop the report', async () => (await waiting()).length === 0, 30_000, 100);

    // Not before its time: the sweep that dropped it ran at least two seconds after it arrived.
    const { rows: now } = await sql<{ now: Date }>`SELECT now()`.execute(sut.db);
    expect(now[0].now.getTime() - rows[0].received_at.getTime()).toBeGreaterThanOrEqual(2_000);
  });
});
