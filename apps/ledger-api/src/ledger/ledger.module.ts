import { Global, Module } from '@nestjs/common';
import { ReadConsistency } from '../http/read-consistency';
import { ClockService } from './clock.service';
import { CommandContextFactory } from './command-context';
import { MemberLedger } from './member-ledger';
import { MemberStates, memberStatesProvider } from './member-states';
import { ProgramStore } from './program-store';

/** What every area shares: the clock, the program in force, the member write path and its folded states, and waits for read-your-writes. */
@Global()
@Module({
  providers: [ClockService, ProgramStore, CommandContextFactory, memberStatesProvider, MemberLedger, ReadConsistency],
  exports: [ClockService, ProgramStore, CommandContextFactory, MemberStates, MemberLedger, ReadConsistency],
})
export class LedgerModule {}
