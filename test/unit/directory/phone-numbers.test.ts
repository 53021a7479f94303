import examples from 'libphonenumber-js/examples.mobile.json';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';
import { isValidE164 } from '../../../src/directory/phone-numbers';

/** Deterministic digits, so a failure names a number that fails again. */
function digitSource(seed: number) {
  let state = seed >>> 0;
  const next = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  return (length: number) => Array.from({ length }, () => next(10)).join('');
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * E.164 numbers around every calling code: random national numbers of every length, and each country's example
 * mobile number with its digits varied (most of those are valid, so both answers get exercised).
 */
function corpus(): string[] {
  const digits = digitSource(20261125);
  const numbers: string[] = [];
  const codes = [...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic)];
  for (const code of codes) {
    for (let length = 1; length + code.length <= 15; length++)
      for (let i = 0; i < 8; i++) numbers.push(`+${code}${digits(length)}`);
  }
  for (const [country, national] of Object.entries(examples)) {
    const code = metadata.countries[country as keyof typeof metadata.countries]?.[0] as string;
    for (let keep = 1; keep <= national.length; keep++)
      for (let i = 0; i < 6; i++)
        numbers.push(`+${code}${national.slice(0, keep)}${digits(national.length - keep)}`);
    numbers.push(`+${code}0${national}`, `+${code}${national}0`, `+${code}${national.slice(1)}`);
  }
  return numbers.filter((n) => E164.test(n));
}

describe('isValidE164', () => {
  it("gives libphonenumber's answer for every E.164 number of a large varied corpus", () => {
    const numbers = corpus();
    const answers = numbers.map((n) => ({ n, library: isValidPhoneNumber(n), fast: isValidE164(n) }));
    const disagreements = answers.filter((a) => a.library !== a.fast).slice(0, 10);

    expect(disagreements).toEqual([]);
    expect(numbers.length).toBeGreaterThan(25_000);
    expect(answers.filter((a) => a.library).length).toBeGreaterThan(10_000);
  });

  it('accepts a Colombian mobile and refuses a number no plan allows', () => {
    expect(isValidE164('+573001234567')).toBe(true);
    expect(isValidE164('+573001234')).toBe(false);
    expect(isValidE164('+5730012345678')).toBe(false);
  });
});
