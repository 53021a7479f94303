import { CustomerValidator } from '../../../src/directory/customer-validator';
import { shippedCatalog } from '../../support/channel-catalog';

describe(CustomerValidator.name, () => {
  const sut = new CustomerValidator(shippedCatalog());
  const valid = {
    id: 'C0000001',
    locale: 'es-CO',
    timeZone: 'America/Bogota',
    region: 'antioquia',
    phone: '+573001234567',
    devices: [{ token: 'tok-1', platform: 'android', lastSeen: '2026-11-20T12:00:00Z' }],
    consent: { push: true, sms: true },
    channels: { 'mobile-app': '2026-11-20T12:00:00Z', 'interbank-transfers': '2026-10-01T03:00:00-05:00' },
  };

  it('accepts the documented shape and normalises timestamps to UTC', () => {
    expect(sut.check(valid)).toEqual({
      customer: {
        ...valid,
        devices: [{ token: 'tok-1', platform: 'android', lastSeen: '2026-11-20T12:00:00.000Z' }],
        channels: {
          'mobile-app': '2026-11-20T12:00:00.000Z',
          'interbank-transfers': '2026-10-01T08:00:00.000Z',
        },
      },
    });
  });

  it('fills defaults: catalog default locale, Bogotá time, no devices, no consent, no channels', () => {
    expect(sut.check({ id: 'x' })).toEqual({
      customer: {
        id: 'x',
        locale: 'es-CO',
        timeZone: 'America/Bogota',
        devices: [],
        consent: { push: false, sms: false },
        channels: {},
      },
    });
    expect(sut.check({ id: 'x', phone: null, region: null, consent: { sms: true } }).customer).toMatchObject({
      consent: { push: false, sms: true },
    });
  });

  it('reports every bad field with its path', () => {
    const { errors } = sut.check({
      id: 'bad id!',
      locale: 'fr',
      timeZone: 'Mars/Olympus',
      region: 'Antioquia',
      phone: '+57123',
      devices: [{ token: '', platform: 'symbian', lastSeen: 'yesterday' }, 'x'],
      consent: { push: 'yes' },
      channels: { foo: '2026-11-20T12:00:00Z', 'mobile-app': '2026-02-30T00:00:00Z' },
      nickname: 'Pepe',
    });
    expect(errors?.map((e) => e.field)).toEqual([
      'nickname',
      'id',
      'locale',
      'timeZone',
      'region',
      'phone',
      'devices[0].token',
      'devices[0].platform',
      'devices[0].lastSeen',
      'devices[1]',
      'consent.push',
      'channels.foo',
      'channels.mobile-app',
    ]);
    expect(errors).toContainEqual({ field: 'locale', reason: 'must be one of: es-CO, en' });
    expect(errors).toContainEqual({
      field: 'devices[0].platform',
      reason: 'must be one of: android, ios, web',
    });
  });

  it('names the valid channels when a channel is unknown', () => {
    const { errors } = sut.check({ id: 'x', channels: { foo: '2026-11-20T12:00:00Z' } });
    expect(errors).toEqual([
      {
        field: 'channels.foo',
        reason:
          'is not a known channel; valid channels: mobile-app, online-banking, interbank-transfers, ' +
          'bill-payments, card-payments, atm-network, qr-payments, call-center',
      },
    ]);
  });

  it('requires an id, and on PUT a body id must repeat the path id', () => {
    expect(sut.check({}).errors).toEqual([{ field: 'id', reason: 'is required' }]);
    expect(sut.check({ id: 'a'.repeat(65) }).errors?.[0].field).toBe('id');
    expect(sut.check({}, 'C1').customer?.id).toBe('C1');
    expect(sut.check({ id: 'C2' }, 'C1').errors).toEqual([
      { field: 'id', reason: 'must match the id in the path' },
    ]);
  });

  it('accepts only numbers libphonenumber considers valid', () => {
    expect(sut.check({ id: 'x', phone: '+573001234567' }).customer?.phone).toBe('+573001234567');
    expect(sut.check({ id: 'x', phone: '3001234567' }).errors).toEqual([
      { field: 'phone', reason: 'must be an E.164 number, e.g. +573001234567' },
    ]);
    // Right length for Colombia, but no Colombian number starts with 39.
    expect(sut.check({ id: 'x', phone: '+573901234567' }).errors).toEqual([
      { field: 'phone', reason: 'is not a valid phone number' },
    ]);
  });

  it('refuses more than 10 devices, and the same token twice on one customer', () => {
    const devices = Array.from({ length: 11 }, (_, i) => ({ token: `t${i}`, platform: 'ios' }));
    expect(sut.check({ id: 'x', devices }).errors?.[0].field).toBe('devices');
    const twice = [
      { token: 't', platform: 'ios' },
      { token: 't', platform: 'web' },
    ];
    expect(sut.check({ id: 'x', devices: twice }).errors?.map((e) => e.field)).toEqual(['devices[1].token']);
  });

  it('accepts tokens up to 4096 printable characters and nothing else', () => {
    const ok = sut.check({ id: 'x', devices: [{ token: 'a'.repeat(4096), platform: 'web' }] });
    expect(ok.errors).toBeUndefined();
    for (const token of ['a'.repeat(4097), 'with space', 'nul\u0000', 42]) {
      expect(sut.check({ id: 'x', devices: [{ token, platform: 'web' }] }).errors?.[0].field).toBe(
        'devices[0].token',
      );
    }
  });

  it('accepts IANA time zones in their canonical spelling', () => {
    expect(sut.check({ id: 'x', timeZone: 'Europe/Madrid' }).customer?.timeZone).toBe('Europe/Madrid');
    expect(sut.check({ id: 'x', timeZone: 'UTC' }).customer?.timeZone).toBe('UTC');
    for (const timeZone of ['+05:00', 'Bogota', '', 42]) {
      expect(sut.check({ id: 'x', timeZone }).errors?.[0].field).toBe('timeZone');
    }
  });

  it('answers a non-object with one error for the whole body', () => {
    for (const input of [null, [], 'C1', 7]) {
      expect(sut.check(input).errors).toEqual([{ field: '', reason: 'must be a JSON object' }]);
    }
  });
});
