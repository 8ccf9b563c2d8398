import fc from 'fast-check';
import { PersistentMap } from './persistent-map';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

/** Pairs of keys with one 32-bit FNV-1a hash, so the trie's buckets are taken too. */
const COLLIDING = ['costarring', 'liquid', 'declinate', 'macallums', 'altarage', 'zinke'];

const key = fc.oneof(
  fc.constantFrom(...COLLIDING),
  fc.string({ maxLength: 3 }),
  fc.nat({ max: 5_000 }).map((n) => `t${n}`),
);
const writes = fc.array(fc.tuple(key, fc.integer()), { maxLength: 1_500 });

describe('PersistentMap (fast-check)', () => {
  it('holds what a Map holds after the same writes, in the same order, and every earlier version stays as it was', () => {
    fc.assert(
      fc.property(writes, fc.array(key, { maxLength: 20 }), (sets, probes) => {
        const native = new Map<string, number>();
        let persistent = PersistentMap.empty<number>();
        const versions: { map: PersistentMap<number>; entries: [string, number][] }[] = [];
        for (const [i, [k, v]] of sets.entries()) {
          native.set(k, v);
          persistent = persistent.set(k, v);
          if (i % 97 === 0) versions.push({ map: persistent, entries: [...native] });
        }
        expect([...persistent]).toEqual([...native]);
        expect(persistent.size).toBe(native.size);
        for (const probe of [...probes, ...COLLIDING]) {
          expect(persistent.get(probe)).toBe(native.get(probe));
          expect(persistent.has(probe)).toBe(native.has(probe));
        }
        for (const version of versions) expect([...version.map.entries()]).toEqual(version.entries);
      }),
      { numRuns: RUNS },
    );
  });

  it('iterates keys, values and forEach in insertion order, an update keeping its place', () => {
    const map = PersistentMap.from<number>([
      ['b', 1],
      ['a', 2],
    ]).set('b', 3);
    const seen: string[] = [];
    map.forEach((value, k) => seen.push(`${k}=${value}`));
    expect([[...map.keys()], [...map.values()], seen]).toEqual([
      ['b', 'a'],
      [3, 2],
      ['b=3', 'a=2'],
    ]);
    expect(JSON.stringify(map)).toBe('[["b",3],["a",2]]');
  });

  it('takes a Map over once and a PersistentMap as it is', () => {
    const persistent = PersistentMap.of(new Map([['k', 1]]));
    expect([...persistent]).toEqual([['k', 1]]);
    expect(PersistentMap.of(persistent)).toBe(persistent);
  });
});
