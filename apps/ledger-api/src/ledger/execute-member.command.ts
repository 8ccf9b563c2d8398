import { Command } from '@nestjs/cqrs';
import { ClaimKind, MemberCommandOf, MemberCommandType, MemberResult } from '@loyalty/domain';

/** A client id that must be unique across members, claimed before the member's stream is written. */
export interface GlobalIdClaim {
  readonly kind: ClaimKind;
  readonly id: string;
}

export interface MemberReply<T extends MemberCommandType = MemberCommandType> {
  /** False on a repeat of the same request: nothing was written, and the result is the first run's. */
  readonly created: boolean;
  /** Position of the command's last event, for reads that must see the write (`minPosition`). */
  readonly position: number;
  readonly result: MemberResult<T>;
}

/** Every write to a member's stream: the domain command, and the global id it claims when it has one. */
export class ExecuteMemberCommand<T extends MemberCommandType = MemberCommandType> extends Command<MemberReply<T>> {
  constructor(
    readonly command: MemberCommandOf<T>,
    readonly claim?: GlobalIdClaim,
  ) {
    super();
  }
}
