import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  ACTIVITY_KINDS,
  ActivityKind,
  EXPIRY_KINDS,
  EXPIRY_ROUNDINGS,
  ExpiryKind,
  ExpiryPolicy,
  ExpiryRounding,
  PROGRAM_LIMITS,
} from '@loyalty/domain';

/**
 * An expiry policy, on the program or on a tier. Which fields a kind needs
 * (months for afterEarning and inactivity, activities for inactivity) is
 * checked by the domain with the rest of the configuration (INVALID_PROGRAM).
 */
export class ExpiryDto {
  @ApiProperty({ enum: EXPIRY_KINDS, example: 'inactivity' }) @IsIn(EXPIRY_KINDS) kind!: ExpiryKind;
  @ApiPropertyOptional({ example: 12, minimum: 1, maximum: PROGRAM_LIMITS.expiryMonthsMax })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(PROGRAM_LIMITS.expiryMonthsMax)
  months?: number;
  @ApiPropertyOptional({ enum: EXPIRY_ROUNDINGS, description: 'afterEarning: round up to the end of this period in the program time zone' })
  @IsOptional()
  @IsIn(EXPIRY_ROUNDINGS)
  roundTo?: ExpiryRounding;
  @ApiPropertyOptional({ enum: ACTIVITY_KINDS, isArray: true, example: ['purchase', 'redemption'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ACTIVITY_KINDS.length)
  @IsIn(ACTIVITY_KINDS, { each: true })
  activities?: ActivityKind[];
}

/** The HTTP shape to the domain's; a field the kind does not use is dropped, so equal policies compare equal. */
export function toExpiryPolicy(dto: ExpiryDto): ExpiryPolicy {
  switch (dto.kind) {
    case 'never':
      return { kind: 'never' };
    case 'afterEarning':
      return { kind: 'afterEarning', months: dto.months ?? 0, ...(dto.roundTo && { roundTo: dto.roundTo }) };
    case 'inactivity':
      return { kind: 'inactivity', months: dto.months ?? 0, activities: dto.activities ?? [] };
  }
}
