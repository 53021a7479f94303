import { activityJson, arrayLiteral } from '../../../src/directory/customer-columns';

describe('customer columns', () => {
  it('writes array literals that quote every string, escape quotes and backslashes, and keep NULL apart', () => {
    expect(arrayLiteral(['a', 'NULL', 'x"y\\z', null, '{,}'])).toBe('{"a","NULL","x\\"y\\\\z",NULL,"{,}"}');
    expect(arrayLiteral([true, false])).toBe('{t,f}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('stores channel activity as epoch milliseconds', () => {
    expect(
      activityJson({ 'mobile-app': '2026-11-20T12:00:00.123Z', 'atm-network': '1970-01-01T00:00:00Z' }),
    ).toBe('{"mobile-app":1795176000123,"atm-network":0}');
  });
});
