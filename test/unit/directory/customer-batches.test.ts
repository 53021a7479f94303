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
  it('answers each full batch, then the rest as the last one', () => {
    const sut = new CustomerBatches(2);
    const full = ['a', 'b', 'c', 'd', 'e'].map((id) => sut.add(customer(id)));
    const ids = (batch: CustomerBatch | undefined) =>
      batch &&
      batch.customerRows
        .split('\n')
        .slice(0, -1)
        .map((row) => row.split('\t')[0]);
    expect(full.map(ids)).toEqual([undefined, ['a', 'b'], undefined, ['c', 'd'], undefined]);
    expect(ids(sut.take())).toEqual(['e']);
    expect(sut.take().customers).toBe(0);
  });

  it('keeps the latest line of an id, and gives a token two customers list to the later line', () => {
    const sut = new CustomerBatches(10);
    const phone = { token: 'shared-token', platform: 'android' as const };
    sut.add({ ...customer('a', 'es-CO'), devices: [phone] });
    sut.add({ ...customer('b'), devices: [phone] });
    sut.add({ ...customer('a', 'en'), devices: [phone] });
    const batch = sut.take();
    expect(batch.customerRows.split('\n').map((row) => row.split('\t').slice(0, 2))).toEqual([
      ['a', 'en'],
      ['b', 'es-CO'],
      [''],
    ]);
    expect(batch.deviceRows).toBe('shared-token\ta\tandroid\t\\N\n');
  });
});
