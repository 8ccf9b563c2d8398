import { foldMember } from '../member/state';
import { T0 } from '../testing/fixtures';
import { enrolled, purchaseRecorded, welcomeAccrued } from '../testing/member-events';
import { offersForMember } from './member-offers';
import { OfferPolicy } from './offers';

const offer = (o: Partial<OfferPolicy>): OfferPolicy => ({
  offerId: 'o',
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2026-02-01T00:00:00.000Z',
  multiplierBp: null,
  bonusPoints: 10,
  criteria: null,
  boughtSkus: [],
  boughtCategories: [],
  pointsBudget: null,
  ...o,
});

describe('offers for a member', () => {
  it('lists the offers running at the instant whose conditions the member meets', () => {
    const items = [{ sku: 'latte', category: 'coffee', quantity: 1, unitPriceMinor: 450 }];
    const state = foldMember([enrolled(), welcomeAccrued(), purchaseRecorded({ items })]);
    const offers = [
      offer({ offerId: 'running' }),
      offer({ offerId: 'coffee-buyers', boughtCategories: ['coffee'] }),
      offer({ offerId: 'tea-buyers', boughtCategories: ['tea'] }),
      offer({ offerId: 'over', endsAt: T0 }),
      offer({ offerId: 'not-yet', startsAt: '2026-01-10T09:00:00.001Z' }),
      offer({ offerId: 'regulars', criteria: { type: 'purchaseCount', min: 2 } }),
      offer({ offerId: 'buyers', criteria: { type: 'purchaseCount', min: 1 } }),
    ];
    expect(offersForMember(offers, state, T0).map((o) => o.offerId)).toEqual(['running', 'coffee-buyers', 'buyers']);
  });

  it('lists nothing for a member not enrolled', () => {
    expect(offersForMember([offer({})], foldMember([]), T0)).toEqual([]);
  });
});
