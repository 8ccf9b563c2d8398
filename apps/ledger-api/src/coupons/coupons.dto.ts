import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { OccurredAtDto } from '../http/common.dto';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

export const COUPON_REASON_LENGTH_MAX = 500;

export class IssueCouponDto extends OccurredAtDto {
  @ApiProperty({ example: 'cpn-0001', description: 'client-chosen; repeating it with the same body answers the first coupon' })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  couponId!: string;
  @ApiProperty({ example: 'two-off', description: 'a coupon reward of the catalogue (redeemable or not)' })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  rewardId!: string;
  @ApiProperty({ example: 'apology for a late order' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(COUPON_REASON_LENGTH_MAX)
  reason!: string;
}
