import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { BIRTHDAY_REWARD_LIMITS, BirthdayReward, PROGRAM_LIMITS } from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

/** A tier's birthday reward: `{ points }` or `{ rewardId, validDays }`; naming both is refused by the domain (INVALID_PROGRAM). */
export class BirthdayRewardDto {
  @ApiPropertyOptional({ example: 500, description: 'points accrued on the birthday, in place of earning.birthdayBonus' })
  @ValidateIf((r: BirthdayRewardDto) => r.rewardId === undefined || r.points !== undefined)
  @IsInt()
  @Min(1)
  @Max(PROGRAM_LIMITS.pointsMax)
  points?: number;
  @ApiPropertyOptional({ example: 'birthday-drink', description: 'a coupon reward of the catalogue, issued on the birthday' })
  @ValidateIf((r: BirthdayRewardDto) => r.points === undefined || r.rewardId !== undefined)
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  rewardId?: string;
  @ApiPropertyOptional({ example: 7, description: 'with rewardId: local days the coupon is valid, the birthday first (1: the day itself)' })
  @ValidateIf((r: BirthdayRewardDto) => r.rewardId !== undefined)
  @IsInt()
  @Min(1)
  @Max(BIRTHDAY_REWARD_LIMITS.validDaysMax)
  validDays?: number;
}

export const toBirthdayReward = (dto: BirthdayRewardDto): BirthdayReward =>
  ({
    ...(dto.points !== undefined && { points: dto.points }),
    ...(dto.rewardId !== undefined && { rewardId: dto.rewardId, validDays: dto.validDays }),
  }) as BirthdayReward;
