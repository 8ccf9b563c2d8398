/**
 * Groups what a source has ready into batches of at most maxSize, without
 * waiting for more: a batch closes as soon as the next item is not already
 * buffered. One transaction per batch amortises commits during catch-up and
 * keeps latency low when live.
 */
export async function* batches<T>(source: AsyncIterable<T>, maxSize: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  const notReady = Symbol('not-ready');
  for (;;) {
    const first = await (pending ?? iterator.next());
    pending = undefined;
    if (first.done) return;
    const batch = [first.value];
    while (batch.length < maxSize) {
      pending = iterator.next();
      const next = await Promise.race([pending, new Promise<typeof notReady>((r) => setImmediate(() => r(notReady)))]);
      if (next === notReady) break;
      pending = undefined;
      if (next.done) {
        yield batch;
        return;
      }
      batch.push(next.value);
    }
    yield batch;
  }
}
