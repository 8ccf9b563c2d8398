/**
 * Serialises commands on the same stream within one process. Concurrent
 * requests for one member then queue instead of racing to append and
 * retrying on conflicts; writers in other processes are still handled by the
 * expected-revision check and retry.
 */
export class StreamLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(streamId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(streamId, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    }
  }
}
