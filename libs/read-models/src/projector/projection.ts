import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@loyalty/event-store';

/** Folds events into rows inside the projector's transaction; it must depend on the log alone. */
export interface Projection {
  readonly name: string;
  apply(manager: EntityManager, event: RecordedEvent): Promise<void>;
}
