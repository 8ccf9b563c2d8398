import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  basisPointsToMultiplier,
  EARNING_RULE_LIMITS,
  EarningRule,
  multiplierToBasisPoints,
  normaliseInstant,
  PROGRAM_LIMITS,
  RuleCap,
  RuleConditions,
  RuleEffect,
  SegmentCriterion,
  WEEKDAY_NAMES,
  WeekdayName,
} from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';
import { IsInstant, IsMultiplier } from '../http/validators';
import { CouponRewardRefDto, toCouponRewardRef } from '../coupons/upgrade-reward.dto';

const R = EARNING_RULE_LIMITS;
const CALENDAR_PERIODS = ['day', 'month', 'quarter', 'year'] as const;
const MEMBER_TYPES = ['individual', 'business'] as const;

/** A list of client ids (SKUs, categories, stores, tiers). */
function IdList(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(R.listMax)(target, key);
    Matches(CLIENT_ID_PATTERN, { each: true, message: CLIENT_ID_MESSAGE })(target, key);
  };
}

export class LocalHoursDto {
  @ApiProperty({ example: 14 }) @IsInt() @Min(0) @Max(R.hoursInDay - 1) fromHour!: number;
  @ApiProperty({ example: 17, description: 'exclusive; below fromHour spans midnight' })
  @IsInt()
  @Min(0)
  @Max(R.hoursInDay)
  toHour!: number;
}

export class RuleConditionsDto {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' }) @IsOptional() @IsInstant() startsAt?: string;
  @ApiPropertyOptional({ example: '2026-02-01T00:00:00Z' }) @IsOptional() @IsInstant() endsAt?: string;
  @ApiPropertyOptional({ example: ['sat', 'sun'], description: "local days in the program's timeZone" })
  @IsOptional()
  @IsArray()
  @IsIn(WEEKDAY_NAMES, { each: true })
  daysOfWeek?: WeekdayName[];
  @ApiPropertyOptional({ type: LocalHoursDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocalHoursDto)
  hours?: LocalHoursDto;
  @ApiPropertyOptional({ example: ['gold'] }) @IdList() tiers?: string[];
  @ApiPropertyOptional({ example: 'vip', description: 'a built-in segment by name' })
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  segment?: string;
  @ApiPropertyOptional({ example: { type: 'purchaseCount', min: 2 }, description: 'custom segment criteria, checked by the domain' })
  @IsOptional()
  @IsObject()
  criteria?: Record<string, unknown>;
  @ApiPropertyOptional({ example: ['individual'] }) @IsOptional() @IsArray() @IsIn(MEMBER_TYPES, { each: true }) memberTypes?: string[];
  @ApiPropertyOptional({ example: ['store-1'] }) @IdList() storeIds?: string[];
  @ApiPropertyOptional({ example: ['app'], description: "the purchase's channelId is one of these" }) @IdList() channels?: string[];
  @ApiPropertyOptional({ example: ['marketplace'], description: 'purchases in these channels never match' })
  @IdList()
  excludeChannels?: string[];
  @ApiPropertyOptional({ example: ['latte'] }) @IdList() skus?: string[];
  @ApiPropertyOptional({ example: ['coffee'] }) @IdList() categories?: string[];
  @ApiPropertyOptional() @IdList() excludeSkus?: string[];
  @ApiPropertyOptional() @IdList() excludeCategories?: string[];
  @ApiPropertyOptional({ example: 2000 }) @IsOptional() @IsInt() @Min(0) @Max(PROGRAM_LIMITS.minorMax) minBasketMinor?: number;
  @ApiPropertyOptional() @IdList() boughtSkus?: string[];
  @ApiPropertyOptional() @IdList() boughtCategories?: string[];
}

export class PerUnitDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(R.pointsMax) points!: number;
  @ApiProperty({ example: 100 }) @IsInt() @Min(1) @Max(PROGRAM_LIMITS.minorMax) unitMinor!: number;
  @ApiPropertyOptional({ enum: ['matchingLines', 'basket'], default: 'matchingLines' })
  @IsOptional()
  @IsIn(['matchingLines', 'basket'])
  of?: 'matchingLines' | 'basket';
}

export class RuleEffectDto {
  @ApiPropertyOptional({ example: 2, description: "total multiplier on the purchase's own points (2 = once more)" })
  @IsOptional()
  @IsMultiplier(R.multiplierBpMax)
  multiplier?: number;
  @ApiPropertyOptional({ type: PerUnitDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PerUnitDto) perUnit?: PerUnitDto;
  @ApiPropertyOptional({ example: 50 }) @IsOptional() @IsInt() @Min(1) @Max(R.pointsMax) bonusPoints?: number;
  @ApiPropertyOptional({ example: 10 }) @IsOptional() @IsInt() @Min(1) @Max(R.pointsMax) pointsPerItem?: number;
  @ApiPropertyOptional({ type: CouponRewardRefDto, description: 'a coupon of this catalogue reward for each purchase the rule applies to' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CouponRewardRefDto)
  coupon?: CouponRewardRefDto;
}

export class PerMemberCapDto {
  @ApiProperty({ example: 500 }) @IsInt() @Min(0) @Max(R.pointsMax) points!: number;
  @ApiProperty({ enum: [...CALENDAR_PERIODS, 'rolling'], description: "calendar periods in the program's timeZone, or rolling days" })
  @IsIn([...CALENDAR_PERIODS, 'rolling'])
  period!: (typeof CALENDAR_PERIODS)[number] | 'rolling';
  @ApiPropertyOptional({ example: 7, description: "required with period 'rolling'" })
  @ValidateIf((o: PerMemberCapDto) => o.period === 'rolling' || o.days !== undefined)
  @IsInt()
  @Min(1)
  @Max(R.rollingDaysMax)
  days?: number;
}

export class RuleCapDto {
  @ApiPropertyOptional({ example: 100 }) @IsOptional() @IsInt() @Min(0) @Max(R.pointsMax) perPurchase?: number;
  @ApiPropertyOptional({ type: PerMemberCapDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PerMemberCapDto)
  perMember?: PerMemberCapDto;
  @ApiPropertyOptional({ example: 100000, description: 'total points across every member, never exceeded' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(R.pointsMax)
  totalPoints?: number;
}

export class EarningRuleDto {
  @ApiProperty({ example: 'weekend-coffee' }) @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) ruleId!: string;
  @ApiPropertyOptional({ type: RuleConditionsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RuleConditionsDto)
  when?: RuleConditionsDto;
  @ApiProperty({ type: RuleEffectDto }) @IsObject() @ValidateNested() @Type(() => RuleEffectDto) effect!: RuleEffectDto;
  @ApiPropertyOptional({ type: RuleCapDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RuleCapDto) cap?: RuleCapDto;
}

/** Drops absent fields, so a rule stored compares equal to the same rule written again (PUT stays idempotent). */
const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export function toEarningRule(dto: EarningRuleDto): EarningRule {
  const w = dto.when ?? {};
  const when: RuleConditions = defined({
    ...w,
    startsAt: w.startsAt === undefined ? undefined : normaliseInstant(w.startsAt),
    endsAt: w.endsAt === undefined ? undefined : normaliseInstant(w.endsAt),
    hours: w.hours && { fromHour: w.hours.fromHour, toHour: w.hours.toHour },
    criteria: w.criteria as unknown as SegmentCriterion | undefined,
    memberTypes: w.memberTypes as RuleConditions['memberTypes'],
  });
  const e = dto.effect;
  const effect: RuleEffect = defined({
    multiplierBp: e.multiplier === undefined ? undefined : multiplierToBasisPoints(e.multiplier)!,
    perUnit: e.perUnit && { points: e.perUnit.points, unitMinor: e.perUnit.unitMinor, of: e.perUnit.of ?? 'matchingLines' },
    bonusPoints: e.bonusPoints,
    pointsPerItem: e.pointsPerItem,
    coupon: e.coupon && toCouponRewardRef(e.coupon),
  });
  const c = dto.cap ?? {};
  const perMember = c.perMember && {
    points: c.perMember.points,
    period: c.perMember.period === 'rolling' ? { rollingDays: c.perMember.days! } : { calendar: c.perMember.period },
  };
  const cap: RuleCap = defined({ perPurchase: c.perPurchase, perMember, totalPoints: c.totalPoints });
  return { ruleId: dto.ruleId, when, effect, cap };
}

/** The conditions as written: the segment's criteria copied in at configuration are the ledger's, not the operator's. */
const asWritten = (when: RuleConditions) => Object.fromEntries(Object.entries(when).filter(([key]) => key !== 'segmentCriteria'));

export function fromEarningRule({ ruleId, when, effect, cap }: EarningRule) {
  const { multiplierBp, ...otherEffects } = effect;
  const period = cap.perMember?.period;
  return {
    ruleId,
    when: asWritten(when),
    effect: { ...otherEffects, ...(multiplierBp !== undefined && { multiplier: basisPointsToMultiplier(multiplierBp) }) },
    cap: {
      ...cap,
      ...(cap.perMember &&
        period && {
          perMember: {
            points: cap.perMember.points,
            ...('rollingDays' in period ? { period: 'rolling', days: period.rollingDays } : { period: period.calendar }),
          },
        }),
    },
  };
}
