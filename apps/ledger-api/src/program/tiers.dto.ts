import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import {
  canonicalJson,
  LEGACY_TIER_RULES,
  TIER_POLICY_LIMITS,
  TierDowngrade,
  TierQualifier,
  TierRules,
  TierStatusDuration,
  TierWindow,
} from '@loyalty/domain';

const L = TIER_POLICY_LIMITS;
const QUALIFIERS: readonly TierQualifier[] = ['spend', 'points', 'purchases'];
const DOWNGRADES: readonly TierDowngrade[] = ['toQualified', 'oneTier'];

export class TierWindowDto {
  @ApiProperty({ enum: ['rolling', 'calendarYear'] }) @IsIn(['rolling', 'calendarYear']) kind!: TierWindow['kind'];
  @ApiPropertyOptional({ example: 12, description: 'rolling only: calendar months up to the instant judged' })
  @ValidateIf((w: TierWindowDto) => w.kind === 'rolling')
  @IsInt()
  @Min(1)
  @Max(L.windowMonthsMax)
  months?: number;
}

export class TierStatusDto {
  @ApiProperty({ enum: ['review', 'months', 'calendarYears'] })
  @IsIn(['review', 'months', 'calendarYears'])
  kind!: TierStatusDuration['kind'];
  @ApiPropertyOptional({ example: 12, description: 'review and months: calendar months' })
  @ValidateIf((s: TierStatusDto) => s.kind !== 'calendarYears')
  @IsInt()
  @Min(1)
  @Max(L.statusMonthsMax)
  months?: number;
  @ApiPropertyOptional({ example: 2, description: 'calendarYears: years counting the one the status was reached in' })
  @ValidateIf((s: TierStatusDto) => s.kind === 'calendarYears')
  @IsInt()
  @Min(1)
  @Max(L.statusYearsMax)
  years?: number;
}

/** How tiers qualify and are kept (docs/programs/tiers.md); every field defaults to today's rule. */
export class TierPolicyDto {
  @ApiPropertyOptional({ enum: QUALIFIERS, default: 'spend' }) @IsOptional() @IsIn(QUALIFIERS) qualifyBy?: TierQualifier;
  @ApiPropertyOptional({ type: TierWindowDto, description: 'default: rolling 12 months' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TierWindowDto)
  window?: TierWindowDto;
  @ApiPropertyOptional({ type: TierStatusDto, description: 'default: reviewed every 12 months' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TierStatusDto)
  status?: TierStatusDto;
  @ApiPropertyOptional({ enum: DOWNGRADES, default: 'toQualified' }) @IsOptional() @IsIn(DOWNGRADES) downgrade?: TierDowngrade;
}

/**
 * The policy's part of a stored configuration. Today's rules spelled out are
 * stored as no policy, so a configuration read back and written again stays
 * the same version.
 */
export function tierPolicyOf(dto: TierPolicyDto | undefined): { tierPolicy?: TierRules } {
  const rules = dto && withDefaults(dto);
  return rules && canonicalJson(rules) !== canonicalJson(LEGACY_TIER_RULES) ? { tierPolicy: rules } : {};
}

function withDefaults(dto: TierPolicyDto): TierRules {
  const d = LEGACY_TIER_RULES;
  return {
    qualifyBy: dto.qualifyBy ?? d.qualifyBy,
    window: dto.window ? toWindow(dto.window) : d.window,
    status: dto.status ? toStatus(dto.status) : d.status,
    downgrade: dto.downgrade ?? d.downgrade,
  };
}

// Validation ran first: the numbers each kind needs are there.
const toWindow = (w: TierWindowDto): TierWindow =>
  w.kind === 'rolling' ? { kind: 'rolling', months: w.months! } : { kind: 'calendarYear' };

const toStatus = (s: TierStatusDto): TierStatusDuration =>
  s.kind === 'calendarYears' ? { kind: 'calendarYears', years: s.years! } : { kind: s.kind, months: s.months! };
