import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EARNING_RULE_LIMITS, EXPERIMENT_LIMITS, OFFER_LIMITS, PROGRAM_LIMITS } from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';
import { EarningRuleDto } from './earning-rules.dto';
import { ExpiryDto } from './expiry.dto';
import { RewardDto } from './rewards.dto';
import { PlanDto } from './plans.dto';
import { MEMBERSHIP_LIMITS } from '@loyalty/domain';
import { TierPolicyDto } from './tiers.dto';
import { BirthdayRewardDto } from '../coupons/birthday-reward.dto';
import { CouponRewardRefDto } from '../coupons/upgrade-reward.dto';
import { IsInstant, IsMultiplier, isMultiplier, IsNameMap, isNonNegativeInt } from '../http/validators';

const L = PROGRAM_LIMITS;
/** The longest IANA zone name is about 30 characters. */
const TIME_ZONE_NAME_MAX_CHARS = 64;

export class ReferralBonusDto {
  @ApiProperty() @IsInt() @Min(0) @Max(L.pointsMax) referrer!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(L.pointsMax) referee!: number;
}

export class EarningDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(0) @Max(L.pointsMax) pointsPerUnit!: number;
  @ApiProperty({ example: 100 }) @IsInt() @Min(1) @Max(L.minorMax) unitMinor!: number;
  @ApiPropertyOptional({ example: { coffee: 2 } })
  @IsOptional()
  @IsNameMap((v) => isMultiplier(v, L.multiplierBpMax), 'multipliers', L.categoryMultipliersMax)
  categoryMultipliers?: Record<string, number>;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(L.pointsMax) welcomeBonus?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(L.pointsMax) birthdayBonus?: number;
  @ApiPropertyOptional({ type: ReferralBonusDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferralBonusDto)
  referralBonus?: ReferralBonusDto;
  @ApiPropertyOptional({ example: { review: 50 } })
  @IsOptional()
  @IsNameMap(isNonNegativeInt(L.pointsMax), 'points', L.actionBonusesMax)
  actionBonuses?: Record<string, number>;
  @ApiPropertyOptional({
    example: { review: { maxPerPeriod: 3, periodDays: 30 } },
    description: 'Per action type: at most maxPerPeriod bonuses in any periodDays window',
  })
  @IsOptional()
  @IsNameMap(isActionCap, 'caps { maxPerPeriod, periodDays }', L.actionBonusesMax)
  actionCaps?: Record<string, { maxPerPeriod: number; periodDays: number }>;
  @ApiPropertyOptional({ type: [EarningRuleDto], description: 'Earning rules: docs/programs/earning-rules.md' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EARNING_RULE_LIMITS.rulesMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => EarningRuleDto)
  rules?: EarningRuleDto[];
}

function isActionCap(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const cap = value as { maxPerPeriod?: unknown; periodDays?: unknown };
  return (
    keys.length === 2 && isNonNegativeInt(L.pointsMax)(cap.maxPerPeriod) && isNonNegativeInt(3660)(cap.periodDays) && cap.periodDays !== 0
  );
}

export class TierDto {
  @ApiProperty({ example: 'gold' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) name!: string;
  @ApiPropertyOptional({ example: 100000, description: 'threshold when tiers qualify by spend (the default)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(L.minorMax)
  minSpendMinor?: number;
  @ApiPropertyOptional({ example: 500, description: 'threshold when tierPolicy.qualifyBy is points' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(L.pointsMax)
  minPoints?: number;
  @ApiPropertyOptional({ example: 12, description: 'threshold when tierPolicy.qualifyBy is purchases' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(L.pointsMax)
  minPurchases?: number;
  @ApiProperty({ example: 1.5 }) @IsMultiplier(L.multiplierBpMax) multiplier!: number;
  @ApiPropertyOptional({ type: ExpiryDto, description: "replaces the program's expiry for points earned in this tier" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExpiryDto)
  expiry?: ExpiryDto;
  @ApiPropertyOptional({ type: BirthdayRewardDto, description: "replaces earning.birthdayBonus for this tier's members" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BirthdayRewardDto)
  birthdayReward?: BirthdayRewardDto;
  @ApiPropertyOptional({ type: CouponRewardRefDto, description: 'a coupon for every member who reaches this tier' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CouponRewardRefDto)
  upgradeReward?: CouponRewardRefDto;
}

/** A targeted offer; its criteria use the segment criteria language and are checked by the domain (INVALID_PROGRAM). */
export class OfferDto {
  @ApiProperty({ example: 'coffee-x2' }) @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) offerId!: string;
  @ApiProperty({ example: '2026-01-01T00:00:00Z' }) @IsInstant() startsAt!: string;
  @ApiProperty({ example: '2026-02-01T00:00:00Z' }) @IsInstant() endsAt!: string;
  @ApiPropertyOptional({
    example: 2,
    description: 'Total multiplier on the purchase points (2 = the purchase points once more as a bonus)',
  })
  @IsOptional()
  @IsMultiplier(OFFER_LIMITS.multiplierBpMax)
  multiplier?: number;
  @ApiPropertyOptional({ example: 100 }) @IsOptional() @IsInt() @Min(1) @Max(OFFER_LIMITS.bonusPointsMax) bonusPoints?: number;
  @ApiPropertyOptional({
    example: { type: 'purchaseCount', min: 2 },
    description: 'Segment criteria the member must match before the purchase',
  })
  @IsOptional()
  @IsObject()
  criteria?: Record<string, unknown>;
  @ApiPropertyOptional({ example: ['latte'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(CLIENT_ID_PATTERN, { each: true, message: CLIENT_ID_MESSAGE })
  boughtSkus?: string[];
  @ApiPropertyOptional({ example: ['coffee'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(CLIENT_ID_PATTERN, { each: true, message: CLIENT_ID_MESSAGE })
  boughtCategories?: string[];
  @ApiPropertyOptional({ example: 100000 }) @IsOptional() @IsInt() @Min(1) @Max(L.pointsMax) pointsBudget?: number;
}

export class ExperimentVariantDto {
  @ApiProperty({ example: 'double' }) @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) name!: string;
  @ApiProperty({ example: 50 }) @IsInt() @Min(0) @Max(100) weightPercent!: number;
  @ApiProperty({ example: 2 }) @IsInt() @Min(0) @Max(L.pointsMax) pointsPerUnit!: number;
}

export class ExperimentDto {
  @ApiProperty({ example: 'earn-rate-2026' }) @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) experimentId!: string;
  @ApiProperty({ example: '2026-01-01T00:00:00Z' }) @IsInstant() startsAt!: string;
  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  endsAt?: string;
  @ApiProperty({ type: [ExperimentVariantDto] })
  @IsArray()
  @ArrayMaxSize(EXPERIMENT_LIMITS.variantsMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ExperimentVariantDto)
  variants!: ExperimentVariantDto[];
}

export class ProgramDto {
  @ApiProperty({ example: 'EUR' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' }) currency!: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(0) @Max(L.minorMax) pointValueMinor!: number;
  @ApiProperty({ type: EarningDto }) @IsObject() @ValidateNested() @Type(() => EarningDto) earning!: EarningDto;
  @ApiProperty({ example: 14 }) @IsInt() @Min(0) @Max(L.pendingDaysMax) pendingDays!: number;
  @ApiProperty({ example: 12 }) @IsInt() @Min(0) @Max(L.expiryMonthsMax) expiryMonths!: number;
  @ApiPropertyOptional({ type: ExpiryDto, description: 'how points expire; absent: as expiryMonths says' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExpiryDto)
  expiry?: ExpiryDto;
  @ApiPropertyOptional({ type: [TierDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(L.tiersMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => TierDto)
  tiers?: TierDto[];
  @ApiPropertyOptional({ type: TierPolicyDto, description: 'how tiers qualify and are kept; default: spend over a rolling 12 months' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TierPolicyDto)
  tierPolicy?: TierPolicyDto;
  @ApiPropertyOptional({ type: [RewardDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(L.rewardsMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => RewardDto)
  rewards?: RewardDto[];
  @ApiPropertyOptional({ type: [OfferDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(OFFER_LIMITS.offersMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OfferDto)
  offers?: OfferDto[];
  @ApiPropertyOptional({ type: [ExperimentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EXPERIMENT_LIMITS.experimentsMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ExperimentDto)
  experiments?: ExperimentDto[];
  @ApiPropertyOptional({ type: [PlanDto], description: 'paid membership plans; default none' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MEMBERSHIP_LIMITS.plansMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PlanDto)
  plans?: PlanDto[];
  @ApiPropertyOptional({ example: 'America/Los_Angeles', description: 'IANA time zone of the program; default UTC' })
  @IsOptional()
  @IsString()
  @MaxLength(TIME_ZONE_NAME_MAX_CHARS)
  timeZone?: string;
}
