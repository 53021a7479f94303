import { prefetched } from '../../src/common/prefetch';

describe('prefetched', () => {
  it('starts reading the next item before the caller has finished with the current one', async () => {
    const log: string[] = [];
    async function* source() {
      for (const n of [1, 2, 3]) {
        log.push(`read ${n}`);
        yield n;
      }
    }
    const seen: number[] = [];
    for await (const n of prefetched(source())) {
      log.push(`use ${n}`);
      seen.push(n);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(log).toEqual(['read 1', 'read 2', 'use 1', 'read 3', 'use 2', 'use 3']);
  });

  it('closes the source when the caller stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let n = 0; ; n++) yield n;
      } finally {
        closed = true;
      }
    }
    for await (const n of prefetched(source())) if (n === 2) break;
    expect(closed).toBe(true);
  });
});
