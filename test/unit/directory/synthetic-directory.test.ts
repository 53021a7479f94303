import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { CustomerValidator } from '../../../src/directory/customer-validator';
import { syntheticCustomers } from '../../../src/directory/synthetic-directory';
import { shippedCatalog } from '../../support/channel-catalog';

const now = new Date('2026-12-01T00:00:00Z');
const DAY_MS = 86_400_000;

describe('syntheticCustomers', () => {
  const customers = [...syntheticCustomers({ count: 20_000, seed: 42, now })];
  const share = (test: (c: (typeof customers)[number]) => boolean) =>
    customers.filter(test).length / customers.length;

  it('is deterministic for a seed and a clock, and differs between seeds', () => {
    expect([...syntheticCustomers({ count: 50, seed: 42, now })]).toEqual(customers.slice(0, 50));
    const other = [...syntheticCustomers({ count: 50, seed: 43, now })];
    expect(other.map((c) => c.phone)).not.toEqual(customers.slice(0, 50).map((c) => c.phone));
    expect(other.map((c) => c.id)).toEqual(customers.slice(0, 50).map((c) => c.id));
  });

  it('yields customers that pass the directory validation unchanged in meaning', () => {
    const validator = new CustomerValidator(shippedCatalog());
    for (const c of customers.slice(0, 2_000)) expect(validator.check(c).errors).toBeUndefined();
    expect(customers[0].id).toBe('C0000001');
  });

  it('gives valid Colombian mobile numbers', () => {
    const phones = customers.flatMap((c) => (c.phone ? [c.phone] : []));
    expect(phones.every((p) => /^\+573\d{9}$/.test(p) && isValidPhoneNumber(p))).toBe(true);
  });

  it('has the designed mix of locales, contact data and consent', () => {
    expect(share((c) => c.locale === 'es-CO')).toBeCloseTo(0.85, 1);
    expect(share((c) => c.locale === 'en')).toBeCloseTo(0.15, 1);
    expect(share((c) => c.devices.length === 0)).toBeCloseTo(0.1, 1);
    expect(share((c) => c.phone === undefined)).toBeCloseTo(0.05, 1);
    expect(share((c) => !c.consent.push)).toBeGreaterThan(0.03);
    expect(share((c) => !c.consent.sms)).toBeGreaterThan(0.05);
    expect(share((c) => c.region === 'bogota')).toBeGreaterThan(share((c) => c.region === 'bolivar'));
    const tokens = customers.flatMap((c) => c.devices.map((d) => d.token));
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.every((t) => t.length >= 150 && /^[\w-]{22}:APA91b[\w-]+$/.test(t))).toBe(true);
  });

  it('spreads channel use over the past ~180 days, most on the mobile app, some outside 90-day windows', () => {
    const uses = (channel: string) => share((c) => channel in c.channels);
    expect(uses('mobile-app')).toBeGreaterThan(0.75);
    expect(uses('online-banking')).toBeGreaterThan(uses('interbank-transfers'));
    expect(uses('interbank-transfers')).toBeGreaterThan(uses('call-center'));
    const ages = customers.flatMap((c) =>
      Object.values(c.channels).map((at) => (now.getTime() - Date.parse(at)) / DAY_MS),
    );
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(180);
    const outside90 = ages.filter((days) => days > 90).length / ages.length;
    expect(outside90).toBeGreaterThan(0.1);
    expect(outside90).toBeLessThan(0.5);
  });
});
