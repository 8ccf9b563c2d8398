import { PersistentMap } from './persistent-map';
import { MemberState } from './state';

/**
 * The shape of MemberState that snapshots are written in. Bump it with any
 * change to MemberState or to what evolve keeps in it: a snapshot written
 * under another version is discarded and the stream folded from the start,
 * so a snapshot never feeds new code a state its events would not produce.
 */
export const MEMBER_STATE_SHAPE_VERSION = 3;

/** The key that marks an encoded Map, PersistentMap, Set or undefined; a plain object of the state never carries it. */
const TAG = '$t';

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

/** The state as JSON text, Maps, Sets and undefined fields included, so decoding gives back an equal state. */
export function encodeMemberState(state: MemberState): string {
  return JSON.stringify(encode(state));
}

export function decodeMemberState(text: string): MemberState {
  return decode(JSON.parse(text) as Encoded) as MemberState;
}

function encode(value: unknown): Encoded {
  if (value === undefined) return { [TAG]: 'undefined' };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (Array.isArray(value)) return value.map(encode);
  if (value instanceof PersistentMap) return { [TAG]: 'persistent-map', entries: [...value].map(([k, v]) => [k, encode(v)]) };
  if (value instanceof Map) return { [TAG]: 'map', entries: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (value instanceof Set) return { [TAG]: 'set', values: [...value].map(encode) };
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return encodeObject(value as Record<string, unknown>);
  throw new TypeError(`member state holds a value a snapshot cannot keep: ${Object.prototype.toString.call(value)}`);
}

function encodeNumber(value: number): number {
  // JSON would turn these into null or 0: refuse rather than write a snapshot that decodes to another state.
  if (!Number.isFinite(value) || Object.is(value, -0)) throw new TypeError(`member state holds the number ${value}`);
  return value;
}

function encodeObject(object: Record<string, unknown>): Encoded {
  if (TAG in object) throw new TypeError(`member state holds an object with the reserved key ${TAG}`);
  const out: Record<string, Encoded> = {};
  for (const key of Object.keys(object)) out[key] = encode(object[key]);
  return out;
}

function decode(value: Encoded): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  switch (value[TAG]) {
    case undefined:
      return decodeObject(value);
    case 'undefined':
      return undefined;
    case 'map':
      return new Map((value.entries as Encoded[][]).map(([k, v]) => [decode(k!), decode(v!)]));
    case 'persistent-map':
      return PersistentMap.from((value.entries as Encoded[][]).map(([k, v]) => [k as string, decode(v!)]));
    case 'set':
      return new Set((value.values as Encoded[]).map(decode));
    default:
      throw new TypeError(`member snapshot holds an unknown tag ${JSON.stringify(value[TAG])}`);
  }
}

function decodeObject(object: { [key: string]: Encoded }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) out[key] = decode(object[key]!);
  return out;
}
