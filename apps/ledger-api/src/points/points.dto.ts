import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { COUPON_CODE_INPUT_LENGTH_MAX, COUPONS_PER_PURCHASE_MAX, PROGRAM_LIMITS } from '@loyalty/domain';
import { OccurredAtDto } from '../http/common.dto';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from '../http/validation';

/** Bounds on one purchase, so no request can carry an unbounded basket or overflow a sum. */
export const PURCHASE_LIMITS = { itemsMax: 500, quantityMax: 100_000, amountMinorMax: PROGRAM_LIMITS.minorMax } as const;

const clientId = () => Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE });

export class PurchaseItemDto {
  @ApiProperty() @IsString() @clientId() sku!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @clientId() category?: string;
  @ApiProperty() @IsInt() @Min(1) @Max(PURCHASE_LIMITS.quantityMax) quantity!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(PURCHASE_LIMITS.amountMinorMax) unitPriceMinor!: number;
}

export class RecordPurchaseDto extends OccurredAtDto {
  @ApiProperty({ example: 'tx-0001' }) @IsString() @clientId() transactionId!: string;
  @ApiProperty({ example: 'm-1001' }) @IsString() @clientId() memberId!: string;
  @ApiProperty({ example: 4250, description: 'integer minor units' })
  @IsInt()
  @Min(0)
  @Max(PURCHASE_LIMITS.amountMinorMax)
  amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' }) currency!: string;
  @ApiPropertyOptional({ type: [PurchaseItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PURCHASE_LIMITS.itemsMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PurchaseItemDto)
  items?: PurchaseItemDto[];
  @ApiPropertyOptional() @IsOptional() @IsString() @clientId() storeId?: string;
  @ApiPropertyOptional({ example: 'app', description: 'the sales channel, for earning rules' })
  @IsOptional()
  @IsString()
  @clientId()
  channelId?: string;
  @ApiPropertyOptional({
    example: ['7K3M-Q9XA-2HZD-W4RT'],
    description: 'the member’s coupons used in this purchase, applied in this order; amountMinor is then what was paid after them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(COUPONS_PER_PURCHASE_MAX)
  @IsString({ each: true })
  @MaxLength(COUPON_CODE_INPUT_LENGTH_MAX, { each: true })
  couponCodes?: string[];
}

export class RedeemPointsDto extends OccurredAtDto {
  @ApiProperty({ example: 'rd-0001' }) @IsString() @clientId() redemptionId!: string;
  @ApiProperty({ example: 'm-1001' }) @IsString() @clientId() memberId!: string;
  @ApiPropertyOptional({ example: 250 }) @IsOptional() @IsInt() @Min(1) @Max(PROGRAM_LIMITS.pointsMax) points?: number;
  @ApiPropertyOptional({ example: 'free-coffee' }) @IsOptional() @IsString() @clientId() rewardId?: string;
}

export class RefundPurchaseDto extends OccurredAtDto {
  @ApiProperty({ example: 'rf-0001' }) @IsString() @clientId() refundId!: string;
  @ApiProperty({ example: 1000, description: 'integer minor units' })
  @IsInt()
  @Min(1)
  @Max(PURCHASE_LIMITS.amountMinorMax)
  amountMinor!: number;
}

export class ReverseRedemptionDto extends OccurredAtDto {}
