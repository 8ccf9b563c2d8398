import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  CatalogueReward,
  MEMBERSHIP_LIMITS,
  normaliseInstant,
  PROGRAM_LIMITS,
  REWARD_KINDS,
  REWARD_LIMIT_PERIODS,
  REWARD_LIMITS,
  RewardKind,
  RewardLimitPeriod,
} from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';
import { IsInstant } from '../http/validators';

export class RewardLimitDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(REWARD_LIMITS.limitCountMax) count!: number;
  @ApiPropertyOptional({ enum: REWARD_LIMIT_PERIODS, description: 'Calendar period in the program time zone; absent: for ever' })
  @IsOptional()
  @IsIn(REWARD_LIMIT_PERIODS)
  period?: RewardLimitPeriod;
}

/** A catalogue reward; which fields a kind needs and which tiers exist are checked by the domain (INVALID_PROGRAM). */
export class RewardDto {
  @ApiProperty({ example: 'free-coffee' }) @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) rewardId!: string;
  @ApiProperty({ example: 250, description: 'at least 1, or 0 for a reward that is not redeemable' })
  @IsInt()
  @Min(0)
  @Max(PROGRAM_LIMITS.pointsMax)
  points!: number;
  @ApiPropertyOptional({
    enum: REWARD_KINDS,
    default: 'points',
    description: 'Kinds other than points issue a coupon (docs/programs/coupons.md)',
  })
  @IsOptional()
  @IsIn(REWARD_KINDS)
  kind?: RewardKind;
  @ApiPropertyOptional({ example: 200, description: 'amountOff: the amount off, in minor units' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(PROGRAM_LIMITS.minorMax)
  valueMinor?: number;
  @ApiPropertyOptional({ example: 15, description: 'percentOff: the percentage off' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(REWARD_LIMITS.percentMax)
  percent?: number;
  @ApiPropertyOptional({ example: 'latte-grande', description: 'freeProduct: the product given' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(REWARD_LIMITS.skuLengthMax)
  sku?: string;
  @ApiPropertyOptional({ example: ['gold'], description: 'Tiers allowed to redeem it; absent: every tier' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROGRAM_LIMITS.tiersMax)
  @IsString({ each: true })
  tiers?: string[];
  @ApiPropertyOptional({
    example: ['prime-annual'],
    description: 'Plans (planIds) whose active members may redeem it; absent: every member',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MEMBERSHIP_LIMITS.plansMax)
  @Matches(CLIENT_ID_PATTERN, { each: true, message: CLIENT_ID_MESSAGE })
  plans?: string[];
  @ApiPropertyOptional({
    example: 'business-club',
    description: 'A segment (built-in or custom) the member must be in; absent: every member',
  })
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  segment?: string;
  @ApiPropertyOptional({ type: RewardLimitDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RewardLimitDto)
  limitPerMember?: RewardLimitDto;
  @ApiPropertyOptional({ example: 100, description: 'Redemptions granted across all members; absent: unlimited' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(REWARD_LIMITS.stockMax)
  stock?: number;
  @ApiPropertyOptional({ example: 30, description: 'How long the coupon of a non-points reward stays valid' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(REWARD_LIMITS.validDaysMax)
  validDays?: number;
  @ApiPropertyOptional({ example: false, default: true, description: 'false: only issued by rules or an admin, never for points' })
  @IsOptional()
  @IsBoolean()
  redeemable?: boolean;
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' }) @IsOptional() @IsInstant() startsAt?: string;
  @ApiPropertyOptional({ example: '2026-02-01T00:00:00Z' }) @IsOptional() @IsInstant() endsAt?: string;
}

/** Absent terms stay absent, so a reward written before they existed compares equal (PUT stays idempotent). */
export function toRewardPolicy(dto: RewardDto): CatalogueReward {
  return {
    rewardId: dto.rewardId,
    points: dto.points,
    ...(dto.kind !== undefined && dto.kind !== 'points' && { kind: dto.kind }),
    ...(dto.valueMinor !== undefined && { valueMinor: dto.valueMinor }),
    ...(dto.percent !== undefined && { percent: dto.percent }),
    ...(dto.sku !== undefined && { sku: dto.sku }),
    ...(dto.tiers !== undefined && { tiers: [...dto.tiers] }),
    ...(dto.plans !== undefined && { plans: [...dto.plans] }),
    ...(dto.segment !== undefined && { segment: dto.segment }),
    ...(dto.limitPerMember && {
      limitPerMember: { count: dto.limitPerMember.count, ...(dto.limitPerMember.period && { period: dto.limitPerMember.period }) },
    }),
    ...(dto.stock !== undefined && { stock: dto.stock }),
    ...(dto.validDays !== undefined && { validDays: dto.validDays }),
    ...(dto.redeemable === false && { redeemable: false }),
    ...(dto.startsAt !== undefined && { startsAt: normaliseInstant(dto.startsAt) }),
    ...(dto.endsAt !== undefined && { endsAt: normaliseInstant(dto.endsAt) }),
  };
}

/** The reward as written: the segment's criteria copied in at configuration are the ledger's, not the operator's. */
export const fromRewardPolicy = (reward: CatalogueReward) =>
  Object.fromEntries(Object.entries(reward).filter(([key]) => key !== 'segmentCriteria'));
