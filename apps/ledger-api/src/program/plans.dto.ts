import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { basisPointsToMultiplier, MEMBERSHIP_LIMITS, MembershipPeriod, MembershipPlan, multiplierToBasisPoints } from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';
import { IsMultiplier } from '../http/validators';

const PERIODS: readonly MembershipPeriod[] = ['month', 'year'];

export class PlanBenefitsDto {
  @ApiPropertyOptional({ example: 2, description: 'multiplies purchase points while the membership is active; default 1' })
  @IsOptional()
  @IsMultiplier(MEMBERSHIP_LIMITS.multiplierBpMax)
  multiplier?: number;
  @ApiPropertyOptional({ example: 'gold', description: 'a tier of the program the member holds at least while the membership is active' })
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  tier?: string;
}

/** A paid membership plan (docs/programs/memberships.md). */
export class PlanDto {
  @ApiProperty({ example: 'prime-annual' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) planId!: string;
  @ApiProperty({ example: 13900, description: 'the fee per period, in minor units' })
  @IsInt()
  @Min(1)
  @Max(MEMBERSHIP_LIMITS.feeMinorMax)
  feeMinor!: number;
  @ApiProperty({ enum: PERIODS }) @IsIn(PERIODS) period!: MembershipPeriod;
  @ApiPropertyOptional({ example: 30, description: 'free days before the first paid period; default 0' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MEMBERSHIP_LIMITS.trialDaysMax)
  trialDays?: number;
  @ApiProperty({ type: PlanBenefitsDto }) @IsObject() @ValidateNested() @Type(() => PlanBenefitsDto) benefits!: PlanBenefitsDto;
}

export function toPlan(dto: PlanDto): MembershipPlan {
  const multiplierBp = dto.benefits.multiplier === undefined ? undefined : multiplierToBasisPoints(dto.benefits.multiplier);
  return {
    planId: dto.planId,
    feeMinor: dto.feeMinor,
    period: dto.period,
    ...(dto.trialDays !== undefined && dto.trialDays > 0 && { trialDays: dto.trialDays }),
    benefits: {
      ...(multiplierBp !== undefined && { multiplierBp }),
      ...(dto.benefits.tier !== undefined && { tier: dto.benefits.tier }),
    },
  };
}

export function fromPlan(plan: MembershipPlan) {
  const { multiplierBp, tier } = plan.benefits;
  return {
    planId: plan.planId,
    feeMinor: plan.feeMinor,
    period: plan.period,
    trialDays: plan.trialDays ?? 0,
    benefits: {
      multiplier: multiplierBp === undefined ? 1 : basisPointsToMultiplier(multiplierBp),
      ...(tier !== undefined && { tier }),
    },
  };
}
