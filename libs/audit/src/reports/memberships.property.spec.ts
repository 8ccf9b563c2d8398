import fc from 'fast-check';
import { activeAt, foldMember, MemberEvent, toMillis } from '@loyalty/domain';
import { decidedHistory, membershipCommandsOf, membershipPlan } from '../../../domain/src/testing/arbitrary-memberships';
import { memberEntry, memoryStore, recordedLog } from '../testing/log';
import { auditMemberships } from '../audit';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const FROM_MS = Date.parse('2025-12-01T00:00:00Z');
/** Past the last period a generated history can pay for (about three years of steps, then a year's period). */
const AFTER_ALL_MS = Date.parse('2032-01-01T00:00:00Z');
const SPAN_MS = AFTER_ALL_MS - FROM_MS;

const isMembershipEvent = (e: MemberEvent) =>
  e.type === 'MembershipStarted' ||
  e.type === 'MembershipPaymentRecorded' ||
  e.type === 'MembershipCancelled' ||
  e.type === 'MembershipLapsed';

describe('membership revenue under generated histories (fast-check)', () => {
  it('deferred + recognised is what was paid by asOf, recognised never decreases, nothing is negative, all is recognised in the end', async () => {
    await fc.assert(
      fc.asyncProperty(membershipPlan, fc.array(fc.integer({ min: 0, max: SPAN_MS }), { maxLength: 12 }), async (plan, offsets) => {
        const history = decidedHistory(membershipCommandsOf(plan)).flatMap((d) => d.events);
        const store = memoryStore(recordedLog(history.map(memberEntry)));
        const instants = [...offsets.map((ms) => FROM_MS + ms), AFTER_ALL_MS].sort((a, b) => a - b);
        let recognisedBefore = 0;
        for (const asOfMs of instants) {
          const report = await auditMemberships(store, asOfMs);
          const known = history.filter((e) => toMillis(e.data.occurredAt) <= asOfMs);
          const paidMinor = known.reduce((sum, e) => sum + (e.type === 'MembershipPaymentRecorded' ? e.data.amountMinor : 0), 0);
          expect(report.deferredRevenueMinor + report.recognisedRevenueMinor).toBe(paidMinor);
          expect(report.deferredRevenueMinor).toBeGreaterThanOrEqual(0);
          expect(report.recognisedRevenueMinor).toBeGreaterThanOrEqual(recognisedBefore);
          recognisedBefore = report.recognisedRevenueMinor;
          // The audit counts active memberships as the domain judges benefits.
          const memberships = foldMember(known.filter(isMembershipEvent)).memberships.values();
          expect(report.activeMemberships).toBe(activeAt(memberships, new Date(asOfMs).toISOString()).length);
        }
        const end = await auditMemberships(store, AFTER_ALL_MS);
        expect(end.deferredRevenueMinor).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});
