/**
 * An immutable map from strings, in insertion order like a Map, whose set()
 * returns a new map sharing all but one path with the old one: O(log n) per
 * write where copying a Map is O(n). A member's command maps grow with its
 * history and every event writes one entry, so copying them made each
 * command's cost grow with the member's age.
 *
 * Two tries, both copied one path per write: the keys and values by
 * insertion position (a 32-way trie whose leaves hold key, value, key,
 * value...), and a hash array mapped trie from key to position. No object
 * per entry: a member's state is held for every cached member.
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** The hash has 32 bits: up to this shift a node still has bits to branch on, past it keys with one hash share a bucket. */
const LAST_SHIFT = 30;

type Branch = readonly unknown[];

/** A hash trie node: which of the 32 fragments hold a child (bitmap), and those children in fragment order; a number is an entry's position. */
class IndexNode {
  constructor(
    readonly bitmap: number,
    readonly children: readonly (number | IndexNode | Bucket)[],
  ) {}
}

/** The positions of keys whose 32-bit hashes are equal. */
class Bucket {
  constructor(readonly positions: readonly number[]) {}
}

export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PersistentMap<never>([], 0, 0, new IndexNode(0, []));

  private constructor(
    /** Slot 2p holds the key at position p, slot 2p + 1 its value. */
    private readonly slotsRoot: Branch,
    private readonly slotsShift: number,
    readonly size: number,
    private readonly index: IndexNode,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY;
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
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
    return position === undefined ? undefined : (this.slotAt(2 * position + 1) as V);
  }

  has(key: string): boolean {
    return this.positionOf(key) !== undefined;
  }

  set(key: string, value: V): PersistentMap<V> {
    const known = this.positionOf(key);
    if (known !== undefined) {
      return new PersistentMap(assocPair(this.slotsRoot, this.slotsShift, 2 * known, key, value), this.slotsShift, this.size, this.index);
    }
    const grows = 2 * this.size === 1 << (this.slotsShift + BITS);
    const shift = grows ? this.slotsShift + BITS : this.slotsShift;
    const root = grows ? [this.slotsRoot] : this.slotsRoot;
    const slots = assocPair(root, shift, 2 * this.size, key, value);
    const keyAt = (position: number) => slotIn(slots, shift, 2 * position) as string;
    return new PersistentMap(slots, shift, this.size + 1, inserted(this.index, 0, hashOf(key), this.size, keyAt));
  }

  *entries(): MapIterator<[string, V]> {
    for (const leaf of this.leaves()) for (let i = 0; i < leaf.length; i += 2) yield [leaf[i] as string, leaf[i + 1] as V];
  }

  *keys(): MapIterator<string> {
    for (const leaf of this.leaves()) for (let i = 0; i < leaf.length; i += 2) yield leaf[i] as string;
  }

  *values(): MapIterator<V> {
    for (const leaf of this.leaves()) for (let i = 1; i < leaf.length; i += 2) yield leaf[i] as V;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const leaf of this.leaves())
      for (let i = 0; i < leaf.length; i += 2) callback.call(thisArg, leaf[i + 1] as V, leaf[i] as string, this);
  }

  /** What JSON.stringify writes: the entries, so two equal maps print alike. */
  toJSON(): [string, V][] {
    return [...this.entries()];
  }

  /** The trie's leaves in order: iterating them costs one generator, not one per level. */
  private leaves(): Branch[] {
    const leaves: Branch[] = [];
    collectLeaves(this.slotsRoot, this.slotsShift, leaves);
    return leaves;
  }

  private slotAt(slot: number): unknown {
    return slotIn(this.slotsRoot, this.slotsShift, slot);
  }

  private positionOf(key: string): number | undefined {
    const hash = hashOf(key);
    let node: number | IndexNode | Bucket = this.index;
    for (let shift = 0; ; shift += BITS) {
      if (typeof node === 'number') return this.slotAt(2 * node) === key ? node : undefined;
      if (node instanceof Bucket) return node.positions.find((p) => this.slotAt(2 * p) === key);
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[childIndex(node.bitmap, bit)]!;
    }
  }
}

function slotIn(root: Branch, rootShift: number, slot: number): unknown {
  let node = root;
  for (let shift = rootShift; shift > 0; shift -= BITS) node = node[(slot >>> shift) & MASK] as Branch;
  return node[slot & MASK];
}

/**
 * The trie with `key` and `value` at the even slot and the one after it (one
 * leaf: a leaf is 32 slots wide), copying one path. An append concatenates,
 * which sizes the copy exactly where growing a slice would leave it room to spare.
 */
function assocPair(node: Branch, shift: number, slot: number, key: string, value: unknown): Branch {
  if (shift === 0) return replacedOrAppended(node, slot & MASK, [key, value]);
  const at = (slot >>> shift) & MASK;
  return replacedOrAppended(node, at, [assocPair((node[at] as Branch | undefined) ?? [], shift - BITS, slot, key, value)]);
}

function replacedOrAppended(node: Branch, at: number, items: readonly unknown[]): Branch {
  if (at === node.length) return node.concat(items);
  const copy = node.slice();
  items.forEach((item, i) => (copy[at + i] = item));
  return copy;
}

function collectLeaves(node: Branch, shift: number, into: Branch[]): void {
  if (shift === 0) into.push(node);
  else for (const child of node) collectLeaves(child as Branch, shift - BITS, into);
}

/** The trie with the position of a key it does not hold yet; `keyAt` reads the key at a position, to split where two keys meet. */
function inserted(node: IndexNode, shift: number, hash: number, position: number, keyAt: (position: number) => string): IndexNode {
  const bit = 1 << ((hash >>> shift) & MASK);
  const at = childIndex(node.bitmap, bit);
  if ((node.bitmap & bit) === 0) {
    return new IndexNode(node.bitmap | bit, node.children.slice(0, at).concat([position], node.children.slice(at)));
  }
  const child = node.children[at]!;
  const replaced =
    child instanceof IndexNode
      ? inserted(child, shift + BITS, hash, position, keyAt)
      : child instanceof Bucket
        ? new Bucket([...child.positions, position])
        : split(child, hashOf(keyAt(child)), position, hash, shift + BITS);
  const children = node.children.slice();
  children[at] = replaced;
  return new IndexNode(node.bitmap, children);
}

/** Two positions whose keys' hashes agree below `shift`: a node that branches where they differ, or a bucket when they never do. */
function split(a: number, hashA: number, b: number, hashB: number, shift: number): IndexNode | Bucket {
  if (shift > LAST_SHIFT) return new Bucket([a, b]);
  const fragmentA = (hashA >>> shift) & MASK;
  const fragmentB = (hashB >>> shift) & MASK;
  if (fragmentA === fragmentB) return new IndexNode(1 << fragmentA, [split(a, hashA, b, hashB, shift + BITS)]);
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
