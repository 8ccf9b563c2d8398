import { Module } from '@nestjs/common';
import { PointsController } from './points.controller';
import { PointsRequests } from './points.requests';

@Module({ controllers: [PointsController], providers: [PointsRequests], exports: [PointsRequests] })
export class PointsModule {}
