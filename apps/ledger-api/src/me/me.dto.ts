import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PROGRAM_LIMITS } from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

const clientId = () => Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE });

/** A member's own redemption: the member is the token's, and it is dated when it arrives (a member's device clock is not trusted). */
export class MeRedemptionDto {
  @ApiProperty({ example: 'rd-app-0001' }) @IsString() @clientId() redemptionId!: string;
  @ApiPropertyOptional({ example: 250 }) @IsOptional() @IsInt() @Min(1) @Max(PROGRAM_LIMITS.pointsMax) points?: number;
  @ApiPropertyOptional({ example: 'free-coffee' }) @IsOptional() @IsString() @clientId() rewardId?: string;
}
