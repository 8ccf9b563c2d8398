import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initialMemberState, MemberState } from '@loyalty/domain';

/**
 * Elements of one collection per message to the thread. Structured clone
 * runs on the sending thread and costs about as much as the codec itself
 * (40-60 ms for a 10,000-event state against 80-130 ms to encode it), so
 * the state crosses in slices, one per turn of the event loop: a slice of
 * this size clones in about a millisecond.
 */
export const SNAPSHOT_SLICE_ELEMENTS = 256;

/**
 * One part of a state crossing to the thread, in field order. Structured
 * clone keeps Maps, Sets, arrays, plain objects and undefined, but turns an
 * instance of any other class into a plain object: a field holding one (the
 * domain's persistent maps) crosses as its entries, and the thread rebuilds
 * it with the static `from` of the class the initial state holds there.
 */
export type StatePart =
  | { readonly id: number; readonly field: string; readonly value: unknown }
  | { readonly id: number; readonly field: string; readonly kind: CollectionKind; readonly elements: readonly unknown[] }
  /** The last part: encode what came, or drop it when the sender could not send the rest. */
  | { readonly id: number; readonly end: 'encode' | 'drop' };

export type CollectionKind = 'array' | 'map' | 'set' | 'class';

export type EncodeReply = { readonly id: number; readonly text: string } | { readonly id: number; readonly error: string };

/** Encodes member states for snapshots without holding up the caller's event loop. */
export interface StateEncoder {
  encode(state: MemberState): Promise<string>;
}

/** The CLI's require hook: under jest or the hook itself the sources are TypeScript, and a worker thread compiles them the same way. */
const TYPESCRIPT_REGISTER = join(__dirname, '..', '..', '..', 'cli', 'register.js');

interface PendingEncode {
  readonly resolve: (text: string) => void;
  readonly reject: (error: Error) => void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The codec on one worker thread, which takes requests in order. One is
 * enough: a member is snapshotted once every few hundred of its events, and
 * each encode only has to leave the request path, not go faster. The thread
 * runs the domain's own encodeMemberState on the state rebuilt from its
 * parts, so a snapshot's text is exactly what encoding in place would have
 * written. An idle thread never keeps the process alive, so it is never
 * stopped. States are immutable, so one may cross over several turns.
 */
export class WorkerStateEncoder implements StateEncoder {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, PendingEncode>();

  async encode(state: MemberState): Promise<string> {
    const worker = (this.worker ??= this.startWorker());
    const id = this.nextId++;
    const encoded = new Promise<string>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // Pending work keeps the process alive until it is written; an idle thread never does.
    worker.ref();
    try {
      for (const part of partsOf(id, state)) {
        if (!this.pending.has(id)) break;
        worker.postMessage(part);
        await nextTurn();
      }
      worker.postMessage({ id, end: 'encode' } satisfies StatePart);
    } catch (error) {
      worker.postMessage({ id, end: 'drop' } satisfies StatePart);
      this.settle({ id, error: error instanceof Error ? error.message : String(error) });
    }
    return encoded;
  }

  private startWorker(): Worker {
    const script = join(__dirname, `snapshot-encoder.worker${extname(__filename)}`);
    const worker =
      extname(__filename) === '.ts'
        ? new Worker(`require(${JSON.stringify(TYPESCRIPT_REGISTER)}); require(${JSON.stringify(script)});`, { eval: true })
        : new Worker(script);
    worker.unref();
    worker.on('message', (reply: EncodeReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`snapshot encoder thread exited with code ${code}`)));
    return worker;
  }

  private settle(reply: EncodeReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('text' in reply) pending.resolve(reply.text);
    else pending.reject(new Error(`snapshot not encoded: ${reply.error}`));
  }

  /** A thread that died fails what it held; the next encode starts a fresh one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const pending of failed) pending.reject(error);
  }
}

function* partsOf(id: number, state: MemberState): Generator<StatePart> {
  for (const [field, value] of Object.entries(state)) {
    const kind = collectionKindOf(field, value);
    if (kind === undefined) {
      yield { id, field, value };
      continue;
    }
    const elements = [...(value as Iterable<unknown>)];
    for (let at = 0; at === 0 || at < elements.length; at += SNAPSHOT_SLICE_ELEMENTS) {
      yield { id, field, kind, elements: elements.slice(at, at + SNAPSHOT_SLICE_ELEMENTS) };
    }
  }
}

function collectionKindOf(field: string, value: unknown): CollectionKind | undefined {
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'map';
  if (value instanceof Set) return 'set';
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) === Object.prototype) return undefined;
  if (Symbol.iterator in value) return 'class';
  throw new TypeError(`member state field ${field} holds a value a snapshot cannot keep`);
}

/** A state's parts put back together on the thread: same fields in the same order, each collection rebuilt as it was. */
export class StateAssembly {
  private readonly fields = new Map<string, { kind?: CollectionKind; value: unknown }>();

  add(part: Exclude<StatePart, { end: unknown }>): void {
    if (!('kind' in part)) return void this.fields.set(part.field, { value: part.value });
    const gathered = this.fields.get(part.field);
    if (gathered) (gathered.value as unknown[]).push(...part.elements);
    else this.fields.set(part.field, { kind: part.kind, value: [...part.elements] });
  }

  state(): MemberState {
    const initial = initialMemberState() as unknown as Record<string, unknown>;
    const state: Record<string, unknown> = {};
    for (const [field, { kind, value }] of this.fields)
      state[field] = kind ? rebuilt(field, kind, value as unknown[], initial[field]) : value;
    return state as unknown as MemberState;
  }
}

type RebuildingClass = { from?: (entries: Iterable<unknown>) => unknown };

function rebuilt(field: string, kind: CollectionKind, elements: unknown[], initial: unknown): unknown {
  if (kind === 'array') return elements;
  if (kind === 'map') return new Map(elements as Array<[unknown, unknown]>);
  if (kind === 'set') return new Set(elements);
  const holder = (initial as { constructor?: RebuildingClass } | undefined)?.constructor;
  if (typeof holder?.from !== 'function') throw new TypeError(`member state field ${field} holds entries of no known class`);
  return holder.from(elements);
}

let processEncoder: WorkerStateEncoder | undefined;

/** One encoding thread per process, however many ledgers it hosts (tests boot many): threads are not free. */
export const processStateEncoder = (): StateEncoder => (processEncoder ??= new WorkerStateEncoder());
