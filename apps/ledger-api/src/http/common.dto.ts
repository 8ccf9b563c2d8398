import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** ISO 8601 with an explicit offset (Z or +hh:mm), as API.md requires. */
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class OccurredAtDto {
  @ApiPropertyOptional({ example: '2026-11-23T10:00:00Z', description: 'When it happened; default now; never in the future' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(INSTANT_PATTERN, { message: 'occurredAt must be an ISO 8601 timestamp with an offset' })
  occurredAt?: string;
}
