import { Customer } from '../../../src/directory/customer';
import { CustomerBatches } from '../../../src/directory/customer-batches';
import { CustomerBatch } from '../../../src/directory/customer-rows';

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
    const sut = new CustomerBatches(async (batch, final) => {
      expect(++active).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      writes.push({ ids: batch.ids, final });
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

  it('keeps the latest line of an id, and gives a token two customers list to the later line', async () => {
    const batches: CustomerBatch[] = [];
    const sut = new CustomerBatches(async (batch) => void batches.push(batch), 10);
    const phone = { token: 'shared-token', platform: 'android' as const };
    await sut.add({ ...customer('a', 'es-CO'), devices: [phone] });
    await sut.add({ ...customer('b'), devices: [phone] });
    await sut.add({ ...customer('a', 'en'), devices: [phone] });
    await sut.finish();
    const [batch] = batches;
    expect(batch.customerRows.split('\n').map((row) => row.split('\t').slice(0, 2))).toEqual([
      ['a', 'en'],
      ['b', 'es-CO'],
      [''],
    ]);
    expect(batch.deviceRows).toBe('shared-token\ta\tandroid\t\\N\n');
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
