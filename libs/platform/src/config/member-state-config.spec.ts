import { loadConfig } from './config';
import { MEMBER_STATE_CONFIG_DEFAULTS, parseMemberStateConfig } from './member-state-config';

describe('member state configuration', () => {
  it('defaults to a cache and snapshots, and turns either off with 0', () => {
    expect(loadConfig({}).memberStates).toEqual(MEMBER_STATE_CONFIG_DEFAULTS);
    const off = loadConfig({ MEMBER_STATE_CACHE_MEMBERS: '0', MEMBER_SNAPSHOT_EVERY_EVENTS: '0' }).memberStates;
    expect(off).toEqual({ cacheMembers: 0, snapshotEveryEvents: 0 });
  });

  it('reports values out of their bounds together, naming each variable', () => {
    const problems: string[] = [];
    parseMemberStateConfig({ MEMBER_STATE_CACHE_MEMBERS: '-1', MEMBER_SNAPSHOT_EVERY_EVENTS: '3' }, problems);
    expect(problems).toEqual([
      'MEMBER_STATE_CACHE_MEMBERS must be an integer from 0 to 1000000, got "-1"',
      'MEMBER_SNAPSHOT_EVERY_EVENTS must be 0 or an integer from 10 to 1000000, got "3"',
    ]);
  });
});
