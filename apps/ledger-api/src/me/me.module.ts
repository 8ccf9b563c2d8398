import { Module } from '@nestjs/common';
import { MemberQueries } from '../members/member-queries';
import { PointsRequests } from '../points/points.requests';
import { MemberTokenGuard } from './member-auth';
import { MemberStates } from './member-states';
import { MemberTokens } from './member-tokens';
import { MeController } from './me.controller';
import { MeQueries } from './me-queries';
import { SessionsController } from './sessions.controller';

/** Members' own access: tokens minted for the operator's app, and the /v1/me routes they open. */
@Module({
  controllers: [SessionsController, MeController],
  providers: [MemberTokens, MemberTokenGuard, MemberStates, MeQueries, MemberQueries, PointsRequests],
})
export class MeModule {}
