import { MEMBER_EVENT_TYPES } from '@loyalty/domain';
import { LOYALTY_TOPIC_MAP, LOYALTY_TOPICS, routeEvent, topicsOf } from './topic-map';

describe('loyalty topic map', () => {
  it('routes every member event type the domain writes to a mapped topic, keyed by member id', () => {
    for (const type of MEMBER_EVENT_TYPES) {
      const route = routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', type);
      expect(route).toMatchObject({ kind: 'publish', key: 'm1', mapped: true });
    }
  });

  it('sends points, purchases and member events to their concern', () => {
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'PointsRedeemed')).toMatchObject({ topic: LOYALTY_TOPICS.points });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'PurchaseRefunded')).toMatchObject({ topic: LOYALTY_TOPICS.purchases });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'TierChanged')).toMatchObject({ topic: LOYALTY_TOPICS.member });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'program-default', 'ProgramConfigured')).toEqual({
      kind: 'publish',
      topic: LOYALTY_TOPICS.program,
      key: 'default',
      mapped: true,
    });
  });

  it('publishes an unknown type to its category default, flagged as unmapped', () => {
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'PointsGifted')).toEqual({
      kind: 'publish',
      topic: LOYALTY_TOPICS.member,
      key: 'm1',
      mapped: false,
    });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'voucher-v1', 'VoucherIssued')).toEqual({
      kind: 'publish',
      topic: LOYALTY_TOPICS.other,
      key: 'voucher-v1',
      mapped: false,
    });
  });

  it('keeps claim streams internal', () => {
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'purchase-t1', 'ClientIdClaimed')).toEqual({ kind: 'internal' });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'redemption-r1', 'ClientIdClaimed')).toEqual({ kind: 'internal' });
  });

  it('lists each topic once', () => {
    expect(topicsOf(LOYALTY_TOPIC_MAP)).toEqual([
      'loyalty.member',
      'loyalty.other',
      'loyalty.points',
      'loyalty.program',
      'loyalty.purchases',
    ]);
  });
});
