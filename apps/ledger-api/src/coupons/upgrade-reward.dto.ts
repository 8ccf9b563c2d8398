import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { TierUpgradeReward } from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

/** A tier's upgrade reward: a coupon of a catalogue coupon reward for every member who reaches the tier. */
export class UpgradeRewardDto {
  @ApiProperty({ example: 'welcome-to-gold', description: 'a coupon reward of the catalogue' })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  rewardId!: string;
}

export const toUpgradeReward = (dto: UpgradeRewardDto): TierUpgradeReward => ({ rewardId: dto.rewardId });
