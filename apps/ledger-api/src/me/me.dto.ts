import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { FEEDBACK_KINDS, FEEDBACK_LIMITS, FeedbackKind, PROGRAM_LIMITS } from '@loyalty/domain';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

const clientId = () => Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE });

/** A member's own redemption: the member is the token's, and it is dated when it arrives (a member's device clock is not trusted). */
export class MeRedemptionDto {
  @ApiProperty({ example: 'rd-app-0001' }) @IsString() @clientId() redemptionId!: string;
  @ApiPropertyOptional({ example: 250 }) @IsOptional() @IsInt() @Min(1) @Max(PROGRAM_LIMITS.pointsMax) points?: number;
  @ApiPropertyOptional({ example: 'free-coffee' }) @IsOptional() @IsString() @clientId() rewardId?: string;
}

/** A review or survey answer; its text is personal data and is sealed before it reaches the log. */
export class MeFeedbackDto {
  @ApiProperty({ example: 'fb-0001' }) @IsString() @clientId() feedbackId!: string;
  @ApiProperty({ enum: FEEDBACK_KINDS }) @IsIn(FEEDBACK_KINDS) kind!: FeedbackKind;
  @ApiPropertyOptional({ minimum: FEEDBACK_LIMITS.ratingMin, maximum: FEEDBACK_LIMITS.ratingMax })
  @IsOptional()
  @IsInt()
  @Min(FEEDBACK_LIMITS.ratingMin)
  @Max(FEEDBACK_LIMITS.ratingMax)
  rating?: number;
  @ApiPropertyOptional({ maxLength: FEEDBACK_LIMITS.textLengthMax })
  @IsOptional()
  @IsString()
  @MaxLength(FEEDBACK_LIMITS.textLengthMax)
  text?: string;
  @ApiPropertyOptional({ example: 'latte', maxLength: FEEDBACK_LIMITS.subjectLengthMax })
  @IsOptional()
  @IsString()
  @MaxLength(FEEDBACK_LIMITS.subjectLengthMax)
  subject?: string;
}
