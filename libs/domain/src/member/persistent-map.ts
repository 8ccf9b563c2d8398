/**
 * An immutable map from strings, in insertion order like a Map, whose set()
 * returns a new map sharing all but one path with the old one: O(log n) per
 * write where copying a Map is O(n). A member's command maps grow with its
 * history and every event writes one entry, so copying them made each
 * command's cost grow with the member's age.
 *
 * Two tries, both copied one path per write: the entries by insertion
 * position (a 32-way trie), and a hash array mapped trie from key to position.
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** The hash has 32 bits: below this shift a node still has bits to branch on, past it keys with one hash share a bucket. */
const LAST_SHIFT = 30;

type Entry<V> = readonly [string, V];
type Branch = readonly unknown[];

/** One key's position in the entries, with the key's hash so a split never hashes it again. */
interface Slot {
  readonly key: string;
  readonly hash: number;
  readonly position: number;
}

/** A hash trie node: which of the 32 fragments hold a child (bitmap), and those children in fragment order. */
class IndexNode {
  constructor(
    readonly bitmap: number,
    readonly children: readonly (Slot | IndexNode | Bucket)[],
  ) {}
}

/** Keys whose 32-bit hashes are equal. */
class Bucket {
  constructor(readonly slots: readonly Slot[]) {}
}

export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PersistentMap<never>([], 0, 0, new IndexNode(0, []));

  private constructor(
    private readonly entriesRoot: Branch,
    private readonly entriesShift: number,
    readonly size: number,
    private readonly index: IndexNode,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY;
  }

  static from<V>(entries: Iterable<Entry<V>>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  /** A map as a PersistentMap: itself if it is one, else its entries copied once. */
  static of<V>(map: ReadonlyMap<string, V>): PersistentMap<V> {
    return map instanceof PersistentMap ? (map as PersistentMap<V>) : PersistentMap.from(map);
  }

  get(key: string): V | undefined {
    const position = this.positionOf(key);
    return position === undefined ? undefined : this.entryAt(position)[1];
  }

  has(key: string): boolean {
    return this.positionOf(key) !== undefined;
  }

  set(key: string, value: V): PersistentMap<V> {
    const position = this.positionOf(key);
    if (position !== undefined) {
      const entries = assoc(this.entriesRoot, this.entriesShift, position, [key, value]);
      return new PersistentMap(entries, this.entriesShift, this.size, this.index);
    }
    const grows = this.size === 1 << (this.entriesShift + BITS);
    const shift = grows ? this.entriesShift + BITS : this.entriesShift;
    const root = grows ? [this.entriesRoot] : this.entriesRoot;
    const slot: Slot = { key, hash: hashOf(key), position: this.size };
    return new PersistentMap(assoc(root, shift, this.size, [key, value]), shift, this.size + 1, inserted(this.index, 0, slot));
  }

  *entries(): MapIterator<[string, V]> {
    for (const chunk of this.chunks()) for (const [key, value] of chunk) yield [key, value];
  }

  *keys(): MapIterator<string> {
    for (const chunk of this.chunks()) for (const entry of chunk) yield entry[0];
  }

  *values(): MapIterator<V> {
    for (const chunk of this.chunks()) for (const entry of chunk) yield entry[1];
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const chunk of this.chunks()) for (const [key, value] of chunk) callback.call(thisArg, value, key, this);
  }

  /** What JSON.stringify writes: the entries, so two equal maps print alike. */
  toJSON(): [string, V][] {
    return [...this.entries()];
  }

  /** The trie's leaves, 32 entries each, in order: iterating them costs one generator, not one per level. */
  private chunks(): (readonly Entry<V>[])[] {
    const chunks: (readonly Entry<V>[])[] = [];
    collectLeaves(this.entriesRoot, this.entriesShift, chunks);
    return chunks;
  }

  private entryAt(position: number): Entry<V> {
    let node = this.entriesRoot;
    for (let shift = this.entriesShift; shift > 0; shift -= BITS) node = node[(position >>> shift) & MASK] as Branch;
    return node[position & MASK] as Entry<V>;
  }

  private positionOf(key: string): number | undefined {
    const hash = hashOf(key);
    let node: Slot | IndexNode | Bucket = this.index;
    for (let shift = 0; ; shift += BITS) {
      if (node instanceof Bucket) return node.slots.find((s) => s.key === key)?.position;
      if (!(node instanceof IndexNode)) return node.key === key ? node.position : undefined;
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[childIndex(node.bitmap, bit)]!;
    }
  }
}

/** The trie with `value` at `position`, copying the one path down to it; missing branches are made on the way. */
function assoc(node: Branch, shift: number, position: number, value: unknown): Branch {
  const copy = node.slice();
  if (shift === 0) {
    copy[position & MASK] = value;
    return copy;
  }
  const at = (position >>> shift) & MASK;
  copy[at] = assoc((node[at] as Branch | undefined) ?? [], shift - BITS, position, value);
  return copy;
}

function collectLeaves(node: Branch, shift: number, into: unknown[]): void {
  if (shift === 0) into.push(node);
  else for (const child of node) collectLeaves(child as Branch, shift - BITS, into);
}

/** The trie with a slot for a key it does not hold yet. */
function inserted(node: IndexNode, shift: number, slot: Slot): IndexNode {
  const bit = 1 << ((slot.hash >>> shift) & MASK);
  const at = childIndex(node.bitmap, bit);
  if ((node.bitmap & bit) === 0) {
    const children = [...node.children.slice(0, at), slot, ...node.children.slice(at)];
    return new IndexNode(node.bitmap | bit, children);
  }
  const child = node.children[at]!;
  const replaced =
    child instanceof IndexNode
      ? inserted(child, shift + BITS, slot)
      : child instanceof Bucket
        ? new Bucket([...child.slots, slot])
        : split(child, slot, shift + BITS);
  const children = node.children.slice();
  children[at] = replaced;
  return new IndexNode(node.bitmap, children);
}

/** Two slots whose hashes agree below `shift`: a node that branches where they differ, or a bucket when they never do. */
function split(a: Slot, b: Slot, shift: number): IndexNode | Bucket {
  if (shift > LAST_SHIFT) return new Bucket([a, b]);
  const fragmentA = (a.hash >>> shift) & MASK;
  const fragmentB = (b.hash >>> shift) & MASK;
  if (fragmentA === fragmentB) return new IndexNode(1 << fragmentA, [split(a, b, shift + BITS)]);
  return new IndexNode((1 << fragmentA) | (1 << fragmentB), fragmentA < fragmentB ? [a, b] : [b, a]);
}

const childIndex = (bitmap: number, bit: number) => popCount(bitmap & (bit - 1));

function popCount(bits: number): number {
  let n = bits - ((bits >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
