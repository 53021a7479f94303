import { NdjsonLine, NdjsonLineSplitter } from '../../../src/directory/ndjson-lines';

function split(chunks: (string | Buffer)[], max = 64): NdjsonLine[] {
  const sut = new NdjsonLineSplitter(max);
  return [...chunks.flatMap((c) => sut.push(Buffer.from(c))), ...sut.end()];
}

describe(NdjsonLineSplitter.name, () => {
  it('numbers lines from 1, skips blank ones and reads a last line without newline', () => {
    expect(split(['{"a":1}\n\n  \r\n{"b":2}\r\n{"c":3}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
      { line: 5, text: '{"c":3}' },
    ]);
  });

  it('joins lines split across chunks, including inside a multi-byte character', () => {
    const bytes = Buffer.from('{"n":"Peña"}\n{"n":"Ñ"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(split([bytes.subarray(0, 4), bytes.subarray(4, cut), bytes.subarray(cut)])).toEqual([
      { line: 1, text: '{"n":"Peña"}' },
      { line: 2, text: '{"n":"Ñ"}' },
    ]);
  });

  it('reports an overlong line once, wherever the chunks break it, and carries on', () => {
    const long = 'x'.repeat(100);
    expect(split([`{"a":1}\n${long.slice(0, 30)}`, long.slice(30), `\n{"b":2}\n`])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, tooLong: true },
      { line: 3, text: '{"b":2}' },
    ]);
    expect(split([`${long}\n`, 'y'.repeat(64)])).toEqual([
      { line: 1, tooLong: true },
      { line: 2, text: 'y'.repeat(64) },
    ]);
    expect(split(['y'.repeat(40), 'y'.repeat(40)])).toEqual([{ line: 1, tooLong: true }]);
  });

  it('drops a byte-order mark at the start', () => {
    expect(split(['\ufeff{"a":1}\n'])).toEqual([{ line: 1, text: '{"a":1}' }]);
  });
});
