import { Injectable } from '@nestjs/common';
import { notFound, RecordPurchase, RedeemPoints, RefundPurchase, ReverseRedemption } from '@loyalty/domain';
import { requestHash } from '../http/request-hash';
import { CommandContextFactory } from '../ledger/command-context';
import { ExecuteMemberCommand } from '../ledger/execute-member.command';
import { MemberLedger } from '../ledger/member-ledger';
import { CouponLookup } from '../coupons/coupon-lookup';
import { newCouponCode } from '../coupons/coupon-codes';
import { RecordPurchaseDto, RedeemPointsDto, RefundPurchaseDto, ReverseRedemptionDto } from './points.dto';

/**
 * The points routes' requests as member commands, stamped with their times
 * and the program in force. Refunds and reversals name no member: the claim
 * of the purchase or redemption does.
 */
@Injectable()
export class PointsRequests {
  constructor(
    private readonly context: CommandContextFactory,
    private readonly ledger: MemberLedger,
    private readonly coupons: CouponLookup,
  ) {}

  /** caller: the API key, whose wrong coupon codes are limited (coupons/coupon-guesses.ts). */
  async purchase(body: RecordPurchaseDto, caller: string): Promise<ExecuteMemberCommand<'RecordPurchase'>> {
    const couponCodes = body.couponCodes?.length ? await this.coupons.memberCodes(body.memberId, body.couponCodes, caller) : [];
    const command: RecordPurchase = {
      type: 'RecordPurchase',
      memberId: body.memberId,
      transactionId: body.transactionId,
      amountMinor: body.amountMinor,
      currency: body.currency,
      items: (body.items ?? []).map(({ sku, category, quantity, unitPriceMinor }) => ({ sku, category, quantity, unitPriceMinor })),
      storeId: body.storeId ?? null,
      ...(body.channelId !== undefined && { channelId: body.channelId }),
      ...(couponCodes.length > 0 && { couponCodes }),
      requestHash: requestHash('purchase', body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command, { kind: 'purchase', id: body.transactionId });
  }

  async redemption(body: RedeemPointsDto): Promise<ExecuteMemberCommand<'RedeemPoints'>> {
    const command: RedeemPoints = {
      type: 'RedeemPoints',
      memberId: body.memberId,
      redemptionId: body.redemptionId,
      points: body.points ?? null,
      rewardId: body.rewardId ?? null,
      couponCode: newCouponCode(),
      requestHash: requestHash('redemption', body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command, { kind: 'redemption', id: body.redemptionId });
  }

  async refund(transactionId: string, body: RefundPurchaseDto): Promise<ExecuteMemberCommand<'RefundPurchase'>> {
    const memberId = await this.ledger.claimant('purchase', transactionId);
    if (!memberId) throw notFound('TRANSACTION_NOT_FOUND', `no purchase ${transactionId}`, { transactionId });
    const command: RefundPurchase = {
      type: 'RefundPurchase',
      memberId,
      transactionId,
      refundId: body.refundId,
      amountMinor: body.amountMinor,
      requestHash: requestHash(`refund:${transactionId}`, body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command, { kind: 'refund', id: body.refundId });
  }

  async reversal(redemptionId: string, body: ReverseRedemptionDto): Promise<ExecuteMemberCommand<'ReverseRedemption'>> {
    const memberId = await this.ledger.claimant('redemption', redemptionId);
    if (!memberId) throw notFound('REDEMPTION_NOT_FOUND', `no redemption ${redemptionId}`, { redemptionId });
    const command: ReverseRedemption = {
      type: 'ReverseRedemption',
      memberId,
      redemptionId,
      requestHash: requestHash('reversal', { redemptionId }),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command);
  }
}
