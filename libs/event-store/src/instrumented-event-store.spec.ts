import { InstrumentedEventStore } from './instrumented-event-store';
import { AppendResult, EventStore, EventToAppend, WrongExpectedRevisionError } from './port';

const EVENTS: EventToAppend[] = [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'PurchaseRecorded', data: { amountMinor: 100 } }];

function storeAnswering(append: () => Promise<AppendResult>): EventStore {
  const unused = () => Promise.reject(new Error('not used here'));
  return {
    append,
    readStream: unused,
    readAll: unused,
    subscribeToAll: () => {
      throw new Error('not used here');
    },
    ping: unused,
    close: unused,
  };
}

describe('InstrumentedEventStore', () => {
  const observer = () => ({ appended: jest.fn(), conflicted: jest.fn(), committed: jest.fn() });

  it('reports the events of an acknowledged append once', async () => {
    const seen = observer();
    const result: AppendResult = { nextRevision: 0n, position: 1n };
    await new InstrumentedEventStore(
      storeAnswering(() => Promise.resolve(result)),
      seen,
    ).append('member-1', EVENTS, 'no_stream');
    expect(seen.committed).toHaveBeenCalledTimes(1);
    expect(seen.committed).toHaveBeenCalledWith(EVENTS);
    expect(seen.appended).toHaveBeenCalledTimes(1);
  });

  it('reports no events for a refused append, which the command handler retries', async () => {
    const seen = observer();
    const conflict = new WrongExpectedRevisionError('member-1', 'no_stream', 0n);
    const store = new InstrumentedEventStore(
      storeAnswering(() => Promise.reject(conflict)),
      seen,
    );
    await expect(store.append('member-1', EVENTS, 'no_stream')).rejects.toBe(conflict);
    expect(seen.committed).not.toHaveBeenCalled();
    expect(seen.conflicted).toHaveBeenCalledTimes(1);
  });
});
