import { DataSource } from 'typeorm';
import { EventStore, GlobalPosition, READ_PAGE_SIZE_MAX } from '@loyalty/event-store';
import { loadCheckpoint } from '@loyalty/read-models';

/** The last position in the log, read on from the projector's checkpoint (usually a page or none); undefined: empty log. */
export async function logHead(store: EventStore, readModels: DataSource): Promise<GlobalPosition | undefined> {
  let head = await loadCheckpoint(readModels.manager, 'ledger');
  for (;;) {
    const page = await store.readAll({ after: head, maxCount: READ_PAGE_SIZE_MAX });
    const last = page[page.length - 1];
    if (!last) return head;
    head = last.position;
  }
}
