import { Customer } from '../../../src/directory/customer';
import { CustomerBatches } from '../../../src/directory/customer-batches';

const customer = (id: string, locale = 'es-CO'): Customer => ({
  id,
  locale,
  timeZone: 'America/Bogota',
  devices: [],
  consent: { push: false, sms: false },
  channels: {},
});

describe(CustomerBatches.name, () => {
  it('writes full batches one after another, then the rest as the final batch', async () => {
    const writes: { ids: string[]; final: boolean }[] = [];
    let active = 0;
    const sut = new CustomerBatches(async (customers, final) => {
      expect(++active).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      writes.push({ ids: customers.map((c) => c.id), final });
      active--;
    }, 2);
    for (const id of ['a', 'b', 'c', 'd', 'e']) await sut.add(customer(id));
    await sut.finish();
    expect(writes).toEqual([
      { ids: ['a', 'b'], final: false },
      { ids: ['c', 'd'], final: false },
      { ids: ['e'], final: true },
    ]);
    expect(sut.written).toBe(5);
  });

  it('keeps the latest line of an id within a batch, ordered by that latest line', async () => {
    const writes: Customer[][] = [];
    const sut = new CustomerBatches(async (customers) => void writes.push(customers), 10);
    await sut.add(customer('a', 'es-CO'));
    await sut.add(customer('b'));
    await sut.add(customer('a', 'en'));
    await sut.finish();
    expect(writes[0].map((c) => [c.id, c.locale])).toEqual([
      ['b', 'es-CO'],
      ['a', 'en'],
    ]);
  });

  it('surfaces a failed write to the caller', async () => {
    const sut = new CustomerBatches(async () => {
      throw new Error('database down');
    }, 1);
    await sut.add(customer('a'));
    await expect(sut.add(customer('b'))).rejects.toThrow('database down');
    expect(sut.written).toBe(0);
  });
});
