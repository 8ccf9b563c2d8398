import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_LIMITS, WEBHOOK_URL_LENGTH_MAX } from '@loyalty/webhooks';

export class PutWebhookDto {
  @ApiProperty({
    example: 'https://crm.example.com/hooks/loyalty',
    description: 'http or https; see docs/webhooks.md for the address rules',
  })
  @IsString()
  @MaxLength(WEBHOOK_URL_LENGTH_MAX)
  url!: string;

  @ApiProperty({ example: ['PointsAccrued', 'TierChanged', 'RewardAffordable'], description: 'ledger event types and notification types' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_LIMITS.eventTypesMax)
  @IsString({ each: true })
  eventTypes!: string[];

  @ApiProperty({ description: 'the HMAC-SHA256 key of the x-loyalty-signature header; never returned', writeOnly: true })
  @IsString()
  @MinLength(WEBHOOK_LIMITS.secretLengthMin)
  @MaxLength(WEBHOOK_LIMITS.secretLengthMax)
  secret!: string;
}
