import { JSON_LIMITS, jsonLimitErrors } from '../../../src/common/http/json-limits';

describe('jsonLimitErrors', () => {
  it('passes a body within every limit', () => {
    const sut = jsonLimitErrors({
      a: [1, 'two', { three: null, 'clé 🔑': 'texte 😀' }],
      b: 'x'.repeat(JSON_LIMITS.stringLength),
    });
    expect(sut).toEqual([]);
  });

  it('names the array with too many items, the object with too many keys and the over-long string', () => {
    const keys = Object.fromEntries(Array.from({ length: JSON_LIMITS.keys + 1 }, (_, i) => [`k${i}`, i]));
    const sut = jsonLimitErrors({
      list: new Array(JSON_LIMITS.items + 1).fill(0),
      map: keys,
      text: { long: 'x'.repeat(JSON_LIMITS.stringLength + 1) },
    });
    expect(sut).toEqual([
      { field: 'list', reason: `must have at most ${JSON_LIMITS.items} items` },
      { field: 'map', reason: `must have at most ${JSON_LIMITS.keys} keys` },
      { field: 'text.long', reason: `must be at most ${JSON_LIMITS.stringLength} characters` },
    ]);
  });

  it('stops at the depth limit without walking further, however deep the value', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonLimitErrors({ deep })).toEqual([
      { field: 'deep[0][0][0][0][0][0][0]', reason: expect.stringMatching(/nest/) },
    ]);
  });

  it('counts values across the whole body', () => {
    const rows = Array.from({ length: 10 }, () => new Array(JSON_LIMITS.items).fill(1));
    expect(jsonLimitErrors({ rows })).toEqual([
      { field: '', reason: `must hold at most ${JSON_LIMITS.values} values in all` },
    ]);
  });

  it.each([
    ['a NUL', 'a\u0000b', /NUL/],
    ['a lone high surrogate', 'a\ud800', /surrogate/],
    ['a lone low surrogate', '\udc00b', /surrogate/],
    ['reversed surrogates', '\ude00\ud83d', /surrogate/],
  ])('refuses %s in a value and in a key', (_label, text, reason) => {
    expect(jsonLimitErrors({ m: { en: text } })).toEqual([
      { field: 'm.en', reason: expect.stringMatching(reason) },
    ]);
    expect(jsonLimitErrors({ m: { [text]: 'ok' } })).toEqual([
      { field: `m.${text}`, reason: expect.stringMatching(reason) },
    ]);
  });

  it('refuses a __proto__ key, which JSON.parse keeps as an own key', () => {
    expect(jsonLimitErrors(JSON.parse('{"m":{"__proto__":{"admin":true}}}'))).toEqual([
      { field: 'm.__proto__', reason: 'is not an allowed key' },
    ]);
  });
});
