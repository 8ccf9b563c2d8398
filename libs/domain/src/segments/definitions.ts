import { canonicalJson } from '../values/canonical-json';
import { invalid, notFound, rejected } from '../values/errors';
import { Instant } from '../values/time';
import { streamIdOf } from '../streams/catalogue';
import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS, SegmentDefinition, SegmentThresholds, thresholdsProblems } from './builtins';
import { criteriaProblems, SegmentCriterion } from './criteria';

/**
 * Custom segment definitions and the built-ins' thresholds are admin writes,
 * kept as events on one stream so every projection (and a rebuild) sees them
 * in log order with the member events they apply to.
 */
export const SEGMENT_DEFINITIONS_STREAM_ID = streamIdOf('segment-definitions', 'definitions');
export const SEGMENT_EVENT_SCHEMA_VERSION = 1;
export const CUSTOM_SEGMENTS_MAX = 200;
export const SEGMENT_DESCRIPTION_LENGTH_MAX = 500;

interface Base {
  readonly schemaVersion: number;
  readonly occurredAt: Instant;
}

export type SegmentDefinitionEvent =
  | {
      readonly type: 'SegmentDefined';
      readonly data: Base & { readonly name: string; readonly description: string; readonly criteria: SegmentCriterion };
    }
  | { readonly type: 'SegmentRemoved'; readonly data: Base & { readonly name: string } }
  | { readonly type: 'SegmentThresholdsChanged'; readonly data: Base & { readonly thresholds: SegmentThresholds } };

export type SegmentDefinitionCommand =
  | {
      readonly type: 'DefineSegment';
      readonly name: string;
      readonly description: string;
      readonly criteria: unknown;
      readonly occurredAt: Instant;
    }
  | { readonly type: 'RemoveSegment'; readonly name: string; readonly occurredAt: Instant }
  | { readonly type: 'ChangeSegmentThresholds'; readonly thresholds: unknown; readonly occurredAt: Instant };

export interface SegmentDefinitionsState {
  readonly custom: ReadonlyMap<string, { readonly description: string; readonly criteria: SegmentCriterion }>;
  readonly thresholds: SegmentThresholds;
}

export const initialSegmentDefinitions = (): SegmentDefinitionsState => ({ custom: new Map(), thresholds: DEFAULT_SEGMENT_THRESHOLDS });

export function evolveSegmentDefinitions(state: SegmentDefinitionsState, event: SegmentDefinitionEvent): SegmentDefinitionsState {
  switch (event.type) {
    case 'SegmentDefined': {
      const custom = new Map(state.custom);
      custom.set(event.data.name, { description: event.data.description, criteria: event.data.criteria });
      return { ...state, custom };
    }
    case 'SegmentRemoved': {
      const custom = new Map(state.custom);
      custom.delete(event.data.name);
      return { ...state, custom };
    }
    case 'SegmentThresholdsChanged':
      return { ...state, thresholds: event.data.thresholds };
  }
}

/** Every segment in force: built-ins from the thresholds, then custom ones by name. */
export function segmentsInForce(state: SegmentDefinitionsState): SegmentDefinition[] {
  const custom = [...state.custom.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, d]): SegmentDefinition => ({ name, kind: 'custom', description: d.description, criteria: d.criteria }));
  return [...builtinSegments(state.thresholds), ...custom];
}

/** Repeating a definition that is already in force records nothing, so the admin's PUT is idempotent. */
export function decideSegmentDefinition(command: SegmentDefinitionCommand, state: SegmentDefinitionsState): SegmentDefinitionEvent[] {
  const base = { schemaVersion: SEGMENT_EVENT_SCHEMA_VERSION, occurredAt: command.occurredAt };
  switch (command.type) {
    case 'DefineSegment': {
      const problems = criteriaProblems(command.criteria);
      if (problems.length > 0) throw invalid('INVALID_SEGMENT_CRITERIA', `invalid segment criteria: ${problems.join('; ')}`, { problems });
      if (builtinSegments(state.thresholds).some((b) => b.name === command.name) || RESERVED_NAMES.includes(command.name)) {
        throw rejected('SEGMENT_NAME_RESERVED', `${command.name} is a built-in segment; choose another name`, { name: command.name });
      }
      const current = state.custom.get(command.name);
      const criteria = command.criteria as SegmentCriterion;
      if (current && current.description === command.description && canonicalJson(current.criteria) === canonicalJson(criteria)) return [];
      if (!current && state.custom.size >= CUSTOM_SEGMENTS_MAX) {
        throw rejected('SEGMENT_LIMIT_REACHED', `at most ${CUSTOM_SEGMENTS_MAX} custom segments`, { max: CUSTOM_SEGMENTS_MAX });
      }
      return [{ type: 'SegmentDefined', data: { ...base, name: command.name, description: command.description, criteria } }];
    }
    case 'RemoveSegment':
      if (!state.custom.has(command.name)) throw notFound('SEGMENT_NOT_FOUND', `no custom segment ${command.name}`, { name: command.name });
      return [{ type: 'SegmentRemoved', data: { ...base, name: command.name } }];
    case 'ChangeSegmentThresholds': {
      const problems = thresholdsProblems(command.thresholds);
      if (problems.length > 0) throw invalid('INVALID_SEGMENT_THRESHOLDS', `invalid thresholds: ${problems.join('; ')}`, { problems });
      const thresholds = command.thresholds as SegmentThresholds;
      if (canonicalJson(thresholds) === canonicalJson(state.thresholds)) return [];
      return [{ type: 'SegmentThresholdsChanged', data: { ...base, thresholds } }];
    }
  }
}

/** Names that routes under /v1/segments use, and prefixes the built-ins may grow into. */
const RESERVED_NAMES = ['thresholds'];
