import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { SEGMENT_DESCRIPTION_LENGTH_MAX } from '@loyalty/domain';

/**
 * The criteria tree is checked by the domain (`criteriaProblems`), which
 * answers INVALID_SEGMENT_CRITERIA with every problem and its path; here
 * only its outer shape is checked.
 */
export class DefineSegmentDto {
  @ApiPropertyOptional({ example: 'Coffee buyers with 100 EUR spent' })
  @IsOptional()
  @IsString()
  @MaxLength(SEGMENT_DESCRIPTION_LENGTH_MAX)
  description?: string;

  @ApiProperty({
    example: {
      type: 'all',
      of: [
        { type: 'bought', categories: ['coffee'], withinDays: 90 },
        { type: 'purchaseAmount', minMinor: 10000 },
      ],
    },
    description:
      'Criteria tree: all/any of purchaseCount, purchaseAmount, averageBasket, lastPurchase, noPurchaseFor, bought, store, tier, memberType, enrolled, enrolmentAnniversary, lastRedemption, age, rfm (docs/analytics.md)',
  })
  @IsObject()
  criteria!: Record<string, unknown>;
}

export class SegmentThresholdsDto {
  @ApiProperty({ description: 'All thresholds (docs/analytics.md); GET /v1/segments returns the ones in force' })
  @IsObject()
  thresholds!: Record<string, unknown>;
}
