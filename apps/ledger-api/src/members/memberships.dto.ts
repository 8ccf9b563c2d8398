import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { MEMBERSHIP_LIMITS } from '@loyalty/domain';
import { OccurredAtDto } from '../http/common.dto';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

export class StartMembershipDto extends OccurredAtDto {
  @ApiProperty({ example: 'ms-0001' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) membershipId!: string;
  @ApiProperty({ example: 'prime-annual', description: 'a plan the program configures' })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  planId!: string;
}

export class MembershipPaymentDto extends OccurredAtDto {
  @ApiProperty({ example: 'pay-0001' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) paymentId!: string;
  @ApiProperty({ example: 13900, description: 'what the billing system collected, in minor units' })
  @IsInt()
  @Min(1)
  @Max(MEMBERSHIP_LIMITS.feeMinorMax)
  amountMinor!: number;
}

export class CancelMembershipDto extends OccurredAtDto {}
