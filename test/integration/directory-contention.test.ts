import { sql } from 'kysely';
import { startTestApi, TestApi } from '../support/test-api';
import { seededRandom } from '../support/seeded-random';

const CUSTOMERS = Array.from({ length: 6 }, (_, i) => `SWAP-${i}`);
const TOKENS = ['swap-token-a', 'swap-token-b', 'swap-token-c', 'swap-token-d'];

describe('Customer writes racing over shared device tokens', () => {
  let sut: TestApi;
  let auth: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    auth = await sut.bearer('customers:write');
  });
  afterAll(() => sut?.close());

  it('answers 300 concurrent PUTs without a 5xx and leaves has_device true to the devices', async () => {
    const next = seededRandom(7);
    // Each PUT lists 2–4 of the four shared tokens, in its own order.
    const puts = Array.from({ length: 300 }, (_, i) => {
      const tokens = TOKENS.map((token) => ({ token, key: next() }))
        .sort((a, b) => a.key - b.key)
        .slice(0, 2 + Math.floor(next() * 3))
        .map(({ token }) => ({ token, platform: 'android' }));
      return { id: CUSTOMERS[i % CUSTOMERS.length], body: { phone: '+573001234567', devices: tokens } };
    });

    const answers = await Promise.all(
      puts.map(({ id, body }) => sut.http.put(`/v1/customers/${id}`).set('Authorization', auth).send(body)),
    );

    const failures = answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.text}`);
    expect(failures).toEqual([]);
    const { rows: customers } = await sql<{ id: string; has_device: boolean; devices: number }>`
      SELECT c.id, c.has_device, (SELECT count(*)::int FROM devices d WHERE d.customer_id = c.id) AS devices
      FROM customers c ORDER BY c.id`.execute(sut.db);
    expect(customers.map((c) => c.id)).toEqual(CUSTOMERS);
    expect(customers.filter((c) => c.has_device !== c.devices > 0)).toEqual([]);
    const devices = await sut.db.selectFrom('devices').select('token').orderBy('token').execute();
    expect(devices.map((d) => d.token)).toEqual(TOKENS);
    const audited = await sut.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'customer.upsert')
      .executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(300);
  });
});
