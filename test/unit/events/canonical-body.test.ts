import { bodyHash, canonicalJson } from '../../../src/events/canonical-body';

describe(bodyHash.name, () => {
  it('does not depend on key order at any depth', () => {
    const a = { id: 'e1', message: { 'es-CO': 'Hola', en: 'Hi' }, channels: [{ id: 'x', status: 'down' }] };
    const b = { channels: [{ status: 'down', id: 'x' }], message: { en: 'Hi', 'es-CO': 'Hola' }, id: 'e1' };

    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(bodyHash(b)).toBe(bodyHash(a));
  });

  it('changes with any value, including array order', () => {
    const base = { id: 'e1', regions: ['a', 'b'] };
    expect(bodyHash({ ...base, id: 'e2' })).not.toBe(bodyHash(base));
    expect(bodyHash({ ...base, regions: ['b', 'a'] })).not.toBe(bodyHash(base));
  });
});
