import { Inject, Injectable } from '@nestjs/common';
import {
  decideSegmentDefinition,
  decodeSegmentDefinitionEvent,
  deterministicEventId,
  evolveSegmentDefinitions,
  initialSegmentDefinitions,
  SEGMENT_DEFINITIONS_STREAM_ID,
  SegmentDefinitionCommand,
  SegmentDefinitionEvent,
  SegmentDefinitionsState,
} from '@loyalty/domain';
import { EventStore, RecordedEvent, runCommand } from '@loyalty/event-store';
import { EVENT_STORE } from '../tokens';

export function segmentDefinitionsOf(history: readonly RecordedEvent[]): SegmentDefinitionsState {
  let state = initialSegmentDefinitions();
  for (const e of history) {
    const event = decodeSegmentDefinitionEvent(e);
    if (event) state = evolveSegmentDefinitions(state, event);
  }
  return state;
}

/** Admin writes of segment definitions: decided on the definitions stream, appended with optimistic concurrency. */
@Injectable()
export class SegmentDefinitions {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async state(): Promise<SegmentDefinitionsState> {
    return segmentDefinitionsOf(await this.store.readStream(SEGMENT_DEFINITIONS_STREAM_ID));
  }

  async execute(command: SegmentDefinitionCommand): Promise<{ changed: boolean; position: number }> {
    let revision = 0;
    const outcome = await runCommand<SegmentDefinitionEvent>(this.store, {
      streamId: SEGMENT_DEFINITIONS_STREAM_ID,
      // Each change is keyed by the revision it follows, so a retried append of the same decision is recognised.
      eventId: (index) => deterministicEventId(SEGMENT_DEFINITIONS_STREAM_ID, `definitions:${revision}`, index),
      decide: (history) => {
        revision = history.length;
        return decideSegmentDefinition(command, segmentDefinitionsOf(history));
      },
    });
    return { changed: outcome.appended, position: Number(outcome.position) };
  }
}
