import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ErasePersonalData } from '@loyalty/domain';
import { PersonalDataVault } from '@loyalty/platform';
import { ExecuteMemberCommand, MemberReply } from '../ledger/execute-member.command';
import { MemberLedger } from '../ledger/member-ledger';
import { VAULT } from '../tokens';

export class ErasePersonalDataCommand extends Command<MemberReply<'ErasePersonalData'>> {
  constructor(readonly command: ErasePersonalData) {
    super();
  }
}

/**
 * Crypto-shredding: record the erasure in the log, then delete the key. If
 * the process stops in between, the projection of MemberErased scrubs the
 * read models anyway and a retry of the request deletes the key.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand> {
  constructor(
    private readonly ledger: MemberLedger,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ command }: ErasePersonalDataCommand): Promise<MemberReply<'ErasePersonalData'>> {
    const reply = await this.ledger.execute(new ExecuteMemberCommand(command));
    await this.vault.erase(command.memberId);
    return reply;
  }
}
