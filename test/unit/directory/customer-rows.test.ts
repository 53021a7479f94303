import { activityJson, customerBatch } from '../../../src/directory/customer-rows';
import { bucketsOf } from '../../../src/directory/directory-locks';

describe('customer rows', () => {
  it('writes COPY rows sorted by key, NULL as \\N, backslashes escaped, each token to its last claimant', () => {
    const batch = customerBatch([
      {
        id: 'B',
        locale: 'en',
        timeZone: 'UTC',
        devices: [{ token: 't\\1', platform: 'ios' }],
        consent: { push: true, sms: false },
        channels: {},
      },
      {
        id: 'A',
        locale: 'es-CO',
        timeZone: 'America/Bogota',
        region: 'bogota',
        phone: '+573001234567',
        devices: [{ token: 't\\1', platform: 'android', lastSeen: '2026-11-20T12:00:00.000Z' }],
        consent: { push: false, sms: true },
        channels: { 'mobile-app': '1970-01-01T00:00:00.000Z' },
      },
    ]);
    expect(batch).toEqual({
      customers: 2,
      devices: 1,
      tokenBuckets: bucketsOf(['t\\1']),
      customerBuckets: bucketsOf(['A', 'B']),
      customerRows:
        'A\tes-CO\tAmerica/Bogota\tbogota\t+573001234567\tf\tt\t{"mobile-app":0}\tt\n' +
        'B\ten\tUTC\t\\N\t\\N\tt\tf\t{}\tf\n',
      deviceRows: 't\\\\1\tA\tandroid\t2026-11-20T12:00:00.000Z\n',
    });
  });

  it('stores channel activity as epoch milliseconds', () => {
    expect(
      activityJson({ 'mobile-app': '2026-11-20T12:00:00.123Z', 'atm-network': '1970-01-01T00:00:00Z' }),
    ).toBe('{"mobile-app":1795176000123,"atm-network":0}');
  });
});
