import { Module } from '@nestjs/common';
import { PointsController } from './points.controller';
import { PointsRequests } from './points.requests';
import { CouponsModule } from '../coupons/coupons.module';

@Module({ imports: [CouponsModule], controllers: [PointsController], providers: [PointsRequests], exports: [PointsRequests] })
export class PointsModule {}
