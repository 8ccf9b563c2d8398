import { Module } from '@nestjs/common';
import { ErasePersonalDataHandler } from './erase-personal-data.handler';
import { MemberPointsController } from './member-points.controller';
import { MemberTierController } from './member-tier.controller';
import { MemberQueries } from './member-queries';
import { MembersController } from './members.controller';
import { MemberRequests } from './members.requests';
import { MembershipRequests } from './memberships.requests';
import { MembershipsController } from './memberships.controller';

@Module({
  controllers: [MembersController, MemberPointsController, MemberTierController, MembershipsController],
  providers: [MemberRequests, MembershipRequests, MemberQueries, ErasePersonalDataHandler],
  exports: [MemberQueries],
})
export class MembersModule {}
