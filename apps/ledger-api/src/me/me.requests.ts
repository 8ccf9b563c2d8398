import { Inject, Injectable } from '@nestjs/common';
import { RecordAction, rejected } from '@loyalty/domain';
import { PersonalDataVault } from '@loyalty/platform';
import { requestHash } from '../http/request-hash';
import { CommandContextFactory } from '../ledger/command-context';
import { ExecuteMemberCommand } from '../ledger/execute-member.command';
import { VAULT } from '../tokens';
import { MeFeedbackDto } from './me.dto';
import { MemberDecisionState } from './member-decision-state';

/** Feedback is an action of its kind's type: it earns that action's bonus under that action's cap. */
export const feedbackActionId = (feedbackId: string) => `feedback:${feedbackId}`;

@Injectable()
export class MeRequests {
  constructor(
    private readonly context: CommandContextFactory,
    private readonly states: MemberDecisionState,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  /**
   * The text is sealed under the member's key and left out of the request
   * hash, so neither it nor a digest of it stays in the log once the key is
   * erased; a retry with the same id is the same feedback. An erased member
   * is refused before sealing, which would otherwise create a key no erasure
   * deletes.
   */
  async feedback(memberId: string, body: MeFeedbackDto): Promise<ExecuteMemberCommand<'RecordAction'>> {
    const text = body.text?.trim() || undefined;
    if (text !== undefined && (await this.states.of(memberId)).erased) {
      throw rejected('MEMBER_ERASED', 'the member erased its personal data: feedback can no longer carry text');
    }
    const command: RecordAction = {
      type: 'RecordAction',
      memberId,
      actionId: feedbackActionId(body.feedbackId),
      actionType: body.kind,
      feedback: {
        kind: body.kind,
        rating: body.rating ?? null,
        subject: body.subject ?? null,
        sealedText: text === undefined ? null : await this.vault.seal(memberId, { text }),
      },
      requestHash: requestHash('feedback', { ...body, text: text !== undefined }),
      ...(await this.context.create(undefined)),
    };
    return new ExecuteMemberCommand(command);
  }
}
