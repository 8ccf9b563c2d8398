import { Global, Module } from '@nestjs/common';
import { ReadConsistency } from '../http/read-consistency';
import { BudgetLedger } from './budget-ledger';
import { ClockService } from './clock.service';
import { CommandContextFactory } from './command-context';
import { MemberLedger } from './member-ledger';
import { MemberStates, memberStatesProvider } from './member-states';
import { ProgramStore } from './program-store';

/** What every area shares: the clock, the program in force, the member and budget write paths and their folded states, and waits for read-your-writes. */
@Global()
@Module({
  providers: [ClockService, ProgramStore, CommandContextFactory, memberStatesProvider, BudgetLedger, MemberLedger, ReadConsistency],
  exports: [ClockService, ProgramStore, CommandContextFactory, MemberStates, BudgetLedger, MemberLedger, ReadConsistency],
})
export class LedgerModule {}
