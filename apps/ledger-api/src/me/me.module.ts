import { Module } from '@nestjs/common';
import { MemberPageController } from '../member-page/member-page.controller';
import { MembersModule } from '../members/members.module';
import { PointsModule } from '../points/points.module';
import { MemberTokenGuard } from './member-auth';
import { MemberDecisionState } from './member-decision-state';
import { MemberTokens } from './member-tokens';
import { MeController } from './me.controller';
import { MeQueries } from './me-queries';
import { MeRequests } from './me.requests';
import { SessionsController } from './sessions.controller';

/** Members' own access: tokens minted for the operator's app, and the /v1/me routes they open. */
@Module({
  imports: [MembersModule, PointsModule],
  controllers: [SessionsController, MeController, MemberPageController],
  providers: [MemberTokens, MemberTokenGuard, MemberDecisionState, MeQueries, MeRequests],
})
export class MeModule {}
