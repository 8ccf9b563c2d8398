import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OccurredAtDto } from '../http/common.dto';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

export class EnrolMemberDto extends OccurredAtDto {
  @ApiProperty({ example: 'm-1001' }) @IsString() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) memberId!: string;
  @ApiProperty({ enum: ['individual', 'business'] }) @IsIn(['individual', 'business']) type!: 'individual' | 'business';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: '1990-04-01' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'birthDate must be YYYY-MM-DD' })
  birthDate?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE }) referredBy?: string;
}
