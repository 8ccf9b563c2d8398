import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { PROGRAM_LIMITS, TIER_CHANGE_REASON_MAX_CHARS } from '@loyalty/domain';
import { OccurredAtDto } from '../http/common.dto';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';
import { IsBirthDate, IsInstant } from '../http/validators';

export class EnrolMemberDto extends OccurredAtDto {
  @ApiProperty({ example: 'm-1001' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) memberId!: string;
  @ApiProperty({ enum: ['individual', 'business'] }) @IsIn(['individual', 'business']) type!: 'individual' | 'business';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: '1990-04-01' })
  @IsOptional()
  @IsBirthDate()
  birthDate?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) referredBy?: string;
}

export class RecordActionDto extends OccurredAtDto {
  @ApiProperty({ example: 'review-123' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) actionId!: string;
  @ApiProperty({ example: 'review', description: 'an action type configured in earning.actionBonuses' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'type must be an action name of 1-64 characters' })
  type!: string;
}

export class AdjustPointsDto {
  @ApiProperty({ example: 'adj-0001' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) adjustmentId!: string;
  @ApiProperty({ example: -50, description: 'non-zero integer; negative takes points away' })
  @IsInt()
  @NotEquals(0)
  @Min(-PROGRAM_LIMITS.pointsMax)
  @Max(PROGRAM_LIMITS.pointsMax)
  points!: number;
  @ApiProperty({ example: 'goodwill after a late delivery' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class TransferPointsDto extends OccurredAtDto {
  @ApiProperty({ example: 'tr-0001' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) transferId!: string;
  @ApiProperty({ example: 'm-1002' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) toMemberId!: string;
  @ApiProperty({ example: 100 }) @IsInt() @Min(1) @Max(PROGRAM_LIMITS.pointsMax) points!: number;
}

export class ChangeTierDto {
  @ApiProperty({ example: 'tc-0001' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) changeId!: string;
  @ApiProperty({ example: 'gold', description: 'a tier the program configures' })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  tier!: string;
  @ApiProperty({ example: 'status match from a partner program' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TIER_CHANGE_REASON_MAX_CHARS)
  reason!: string;
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'the tier holds until then; absent: until the next manual change' })
  @IsOptional()
  @IsInstant()
  until?: string;
}
