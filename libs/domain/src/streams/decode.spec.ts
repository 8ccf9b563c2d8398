import { claimStreamId, decideClaim } from '../claims/claims';
import { SEGMENT_DEFINITIONS_STREAM_ID } from '../segments/definitions';
import { memberStreamId, PROGRAM_STREAM_ID } from './catalogue';
import { decodeClaimEvent, decodeMemberEvent, decodeProgramEvent, decodeSegmentDefinitionEvent, MalformedEventError } from './decode';

const AT = '2026-01-10T09:00:00.000Z';
const stored = (streamId: string, type: string, data: Record<string, unknown>) => ({ streamId, type, data });

describe('decoding stored events', () => {
  it('gives a member event of a member stream back as the domain event', () => {
    const data = { schemaVersion: 1, memberId: 'm1', occurredAt: AT, lotId: 'l1' };
    expect(decodeMemberEvent(stored(memberStreamId('m1'), 'PointsActivated', data))).toMatchObject({ type: 'PointsActivated', data });
  });

  it('leaves alone another stream kind and a type newer than this code', () => {
    const data = { schemaVersion: 1, memberId: 'm1', occurredAt: AT };
    expect(decodeMemberEvent(stored(PROGRAM_STREAM_ID, 'PointsActivated', data))).toBeUndefined();
    expect(decodeMemberEvent(stored(claimStreamId('refund', 'rf1'), 'PointsActivated', data))).toBeUndefined();
    expect(decodeMemberEvent(stored(memberStreamId('m1'), 'PointsGifted', data))).toBeUndefined();
    expect(decodeProgramEvent(stored(PROGRAM_STREAM_ID, 'ProgramRetired', { occurredAt: AT }))).toBeUndefined();
  });

  it('refuses a known type without the fields every event of its kind carries', () => {
    const decode = () => decodeMemberEvent(stored(memberStreamId('m1'), 'PointsActivated', { schemaVersion: 1, lotId: 'l1' }));
    expect(decode).toThrow(MalformedEventError);
    expect(decode).toThrow('PointsActivated on member-m1 lacks memberId, occurredAt');
  });

  it('decodes program, segment-definition and claim events from their own streams only', () => {
    const exhausted = { schemaVersion: 1, offerId: 'o1', pointsAwarded: 60, pointsBudget: 50, occurredAt: AT };
    expect(decodeProgramEvent(stored(PROGRAM_STREAM_ID, 'OfferBudgetExhausted', exhausted))?.type).toBe('OfferBudgetExhausted');
    const removed = { schemaVersion: 1, name: 's1', occurredAt: AT };
    expect(decodeSegmentDefinitionEvent(stored(SEGMENT_DEFINITIONS_STREAM_ID, 'SegmentRemoved', removed))?.type).toBe('SegmentRemoved');
    expect(decodeSegmentDefinitionEvent(stored(PROGRAM_STREAM_ID, 'SegmentRemoved', removed))).toBeUndefined();
    for (const kind of ['purchase', 'redemption', 'refund', 'transfer'] as const) {
      const [claim] = decideClaim(kind, 'x1', 'm1', 'h', undefined);
      expect(decodeClaimEvent(stored(claimStreamId(kind, 'x1'), claim!.type, { ...claim!.data }))).toEqual(expect.objectContaining(claim));
    }
    expect(decodeClaimEvent(stored(memberStreamId('m1'), 'ClientIdClaimed', { memberId: 'm1', requestHash: 'h' }))).toBeUndefined();
  });
});
