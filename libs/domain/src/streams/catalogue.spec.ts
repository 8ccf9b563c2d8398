import { ClaimKind, claimStreamId } from '../claims/claims';
import { MEMBER_EVENT_TYPES } from '../member/events';
import { SEGMENT_DEFINITIONS_STREAM_ID } from '../segments/definitions';
import {
  CLAIM_STREAM_KINDS,
  eventTypesOf,
  isPublicStream,
  memberStreamId,
  parseStreamId,
  PROGRAM_STREAM_ID,
  publicationOf,
  PUBLISHABLE_EVENT_TYPES,
  STREAM_KIND_NAMES,
  STREAM_KINDS,
  streamIdOf,
} from './catalogue';

describe('stream catalogue', () => {
  it('parses back every id it builds, for every kind, whatever the id holds', () => {
    for (const kind of STREAM_KIND_NAMES) {
      for (const id of ['m1', 'with-dashes-in-it', 'default']) expect(parseStreamId(streamIdOf(kind, id))).toEqual({ kind, id });
    }
  });

  it('gives every kind a prefix that is not the start of another, so an id has one kind', () => {
    const prefixes = STREAM_KIND_NAMES.map((k) => STREAM_KINDS[k].prefix);
    for (const a of prefixes) expect(prefixes.filter((b) => b.startsWith(a))).toEqual([a]);
  });

  it('keeps the stream ids already in stored logs', () => {
    expect(memberStreamId('m1')).toBe('member-m1');
    expect(PROGRAM_STREAM_ID).toBe('program-default');
    expect(SEGMENT_DEFINITIONS_STREAM_ID).toBe('segments-definitions');
    expect(claimStreamId('purchase', 'tx1')).toBe('purchase-tx1');
    expect(claimStreamId('redemption', 'r1')).toBe('redemption-r1');
    expect(claimStreamId('refund', 'rf1')).toBe('refund-rf1');
    expect(claimStreamId('transfer', 'tr1')).toBe('transfer-tr1');
  });

  it('knows no stream it was not told about', () => {
    expect(parseStreamId('voucher-v1')).toBeUndefined();
    expect(parseStreamId('$all')).toBeUndefined();
  });

  it('keeps every kind of claim stream internal', () => {
    for (const claim of Object.keys(CLAIM_STREAM_KINDS) as ClaimKind[]) {
      const parsed = parseStreamId(claimStreamId(claim, 'x'));
      expect(parsed).toEqual({ kind: CLAIM_STREAM_KINDS[claim], id: 'x' });
      expect(isPublicStream(parsed!.kind)).toBe(false);
      expect(publicationOf(parsed!.kind, 'ClientIdClaimed')).toBeUndefined();
    }
  });

  it('publishes member, program and segment-definition events, and nothing of a claim', () => {
    const byKind = (kind: string) => PUBLISHABLE_EVENT_TYPES.filter((p) => p.kind === kind).map((p) => p.type);
    expect(byKind('member').sort()).toEqual([...MEMBER_EVENT_TYPES].sort());
    expect(byKind('program').sort()).toEqual(['OfferBudgetExhausted', 'ProgramConfigured']);
    expect(byKind('segment-definitions').sort()).toEqual(['SegmentDefined', 'SegmentRemoved', 'SegmentThresholdsChanged']);
    expect(PUBLISHABLE_EVENT_TYPES.map((p) => p.type)).not.toContain('ClientIdClaimed');
    expect(new Set(PUBLISHABLE_EVENT_TYPES.map((p) => p.type)).size).toBe(PUBLISHABLE_EVENT_TYPES.length);
  });

  it('sends a type newer than this code to its kind default concern, marked unknown', () => {
    expect(publicationOf('member', 'PointsGifted')).toEqual({ concern: 'member', known: false });
    expect(publicationOf('member', 'PointsRedeemed')).toEqual({ concern: 'points', known: true });
    expect(publicationOf('member', 'toString')).toEqual({ concern: 'member', known: false });
  });

  it('lists the event types of each kind', () => {
    expect(eventTypesOf('refund-claim')).toEqual(['ClientIdClaimed']);
    expect(eventTypesOf('program')).toEqual(['ProgramConfigured', 'OfferBudgetExhausted']);
  });
});
