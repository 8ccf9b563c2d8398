/** How the write path keeps members' folded state (docs/operations.md, "Member state"); every value from the environment. */
export interface MemberStateConfig {
  /** Members whose folded state one API process keeps in memory, least recently used evicted first; 0 turns the cache off. */
  readonly cacheMembers: number;
  /** A member's state is snapshotted once this many events followed its last snapshot; 0 turns snapshots off. */
  readonly snapshotEveryEvents: number;
}

export const MEMBER_STATE_CONFIG_DEFAULTS: MemberStateConfig = { cacheMembers: 10_000, snapshotEveryEvents: 500 };
/** Bounds that keep a typo from holding every member in memory or snapshotting on every event of every member. */
const CACHE_MEMBERS_MAX = 1_000_000;
const SNAPSHOT_EVERY_EVENTS_MIN = 10;
const SNAPSHOT_EVERY_EVENTS_MAX = 1_000_000;

export function parseMemberStateConfig(env: NodeJS.ProcessEnv, problems: string[]): MemberStateConfig {
  const d = MEMBER_STATE_CONFIG_DEFAULTS;
  const count = (name: string, fallback: number, accepts: (n: number) => boolean, range: string) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !accepts(parsed)) problems.push(`${name} must be ${range}, got "${value}"`);
    return parsed;
  };
  return {
    cacheMembers: count(
      'MEMBER_STATE_CACHE_MEMBERS',
      d.cacheMembers,
      (n) => n <= CACHE_MEMBERS_MAX,
      `an integer from 0 to ${CACHE_MEMBERS_MAX}`,
    ),
    snapshotEveryEvents: count(
      'MEMBER_SNAPSHOT_EVERY_EVENTS',
      d.snapshotEveryEvents,
      (n) => n === 0 || (n >= SNAPSHOT_EVERY_EVENTS_MIN && n <= SNAPSHOT_EVERY_EVENTS_MAX),
      `0 or an integer from ${SNAPSHOT_EVERY_EVENTS_MIN} to ${SNAPSHOT_EVERY_EVENTS_MAX}`,
    ),
  };
}
