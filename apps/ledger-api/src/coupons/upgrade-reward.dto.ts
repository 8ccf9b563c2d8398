import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

/** A coupon reward of the catalogue that a rule gives: a tier's upgradeReward, an earning rule's coupon effect. */
export class CouponRewardRefDto {
  @ApiProperty({ example: 'welcome-to-gold', description: 'a coupon reward of the catalogue' })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  rewardId!: string;
}

export const toCouponRewardRef = (dto: CouponRewardRefDto): { readonly rewardId: string } => ({ rewardId: dto.rewardId });
