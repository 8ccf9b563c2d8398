import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { IsInstant } from '../http/validators';
import { ProgramDto } from '../program/program.dto';

export class SimulationRequestDto {
  @ApiProperty({ type: ProgramDto, description: 'The candidate program, written as for PUT /v1/program' })
  @IsObject()
  @ValidateNested()
  @Type(() => ProgramDto)
  program!: ProgramDto;

  @ApiProperty({
    example: '2025-01-01T00:00:00Z',
    description: 'Window start, exclusive: decisions at or before it make the opening state',
  })
  @IsInstant()
  from!: string;

  @ApiProperty({ example: '2026-01-01T00:00:00Z', description: 'Window end, inclusive; never in the future' })
  @IsInstant()
  to!: string;
}
