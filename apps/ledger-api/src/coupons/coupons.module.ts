import { Module } from '@nestjs/common';
import { CouponGuesses } from './coupon-guesses';
import { CouponLookup } from './coupon-lookup';
import { CouponQueries } from './coupon-queries';
import { CouponsController } from './coupons.controller';

/** Coupons: the till's lookup, an admin's issue, and the guess limit the purchase path shares. */
@Module({
  controllers: [CouponsController],
  providers: [CouponGuesses, CouponLookup, CouponQueries],
  exports: [CouponLookup],
})
export class CouponsModule {}
