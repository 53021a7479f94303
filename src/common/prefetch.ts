/**
 * Iterates `source` one item ahead: the next item is being fetched while the caller works on the current one.
 * For paged database reads this overlaps the next query with the writes of the current page.
 */
export async function* prefetched<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = iterator.next();
      yield current.value;
    }
  } finally {
    // Stopped early (cancel, shutdown): let the generator finish its pending read and release its resources.
    await next.catch(() => undefined);
    await iterator.return?.();
  }
}
