import { Controller, Get } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { basisPointsToMultiplier } from '@loyalty/domain';
import { Roles } from '../http/auth';
import { ProgramStore } from '../ledger/program-store';
import { OfferBudgets } from './offer-budgets';
import { ApiOperationSpec, KEY_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** Offers are configured with the program (PUT /v1/program); this shows what each one awarded against its budget. */
@ApiTags('offers')
@ApiSecurity('api-key')
@Controller('v1/offers')
export class OffersController {
  constructor(
    private readonly programs: ProgramStore,
    private readonly budgets: OfferBudgets,
  ) {}

  @ApiOperationSpec({
    operationId: 'listOffers',
    summary: 'Offers and what each awarded against its budget',
    success: { status: 200, schema: Responses.offers },
    errors: [...KEY_ERRORS],
  })
  @Get()
  @Roles('admin', 'analyst')
  async list() {
    const state = await this.programs.state();
    const awarded = await this.budgets.awarded();
    return {
      offers: (state.policy?.offers ?? []).map((o) => {
        const used = awarded.get(o.offerId) ?? { points: 0, awards: 0, members: 0 };
        return {
          offerId: o.offerId,
          startsAt: o.startsAt,
          endsAt: o.endsAt,
          multiplier: o.multiplierBp === null ? null : basisPointsToMultiplier(o.multiplierBp),
          bonusPoints: o.bonusPoints,
          pointsBudget: o.pointsBudget,
          pointsAwarded: used.points,
          awards: used.awards,
          members: used.members,
          // Only offers that ran before budgets were reserved on the write path can show an overspend.
          overspentPoints: o.pointsBudget === null ? 0 : Math.max(0, used.points - o.pointsBudget),
          exhausted: (state.exhaustedOfferIds?.has(o.offerId) ?? false) || (o.pointsBudget !== null && used.points >= o.pointsBudget),
        };
      }),
    };
  }

  /** Every budgeted rule (earning rules and offers): its budget and what purchases reserved of it. */
  @ApiOperationSpec({
    operationId: 'listRuleBudgets',
    summary: 'Every budgeted rule and what purchases reserved of it',
    success: { status: 200, schema: Responses.offerBudgets },
    errors: [...KEY_ERRORS],
  })
  @Get('budgets')
  @Roles('admin', 'analyst')
  async budgetUse() {
    const state = await this.programs.state();
    return { budgets: state.policy ? await this.budgets.reserved(state.policy) : [] };
  }
}
