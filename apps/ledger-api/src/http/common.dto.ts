import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from './validators';

export class OccurredAtDto {
  @ApiPropertyOptional({
    example: '2026-11-23T10:00:00Z',
    description: 'When it happened: ISO 8601 with an offset, from 1970-01-01T00:00:00Z; default now; never in the future',
  })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;
}
