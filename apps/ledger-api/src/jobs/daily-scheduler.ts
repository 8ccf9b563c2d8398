import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SettleMembersCommand, SettlementReport } from './settle-members.handler';

const DAY_MS = 86_400_000;
/** Minutes past midnight UTC: after the day's last sales are in. */
const RUN_AT_MINUTE_UTC = 5;

/** Runs the settlement job once a day; the job is idempotent, so a missed or doubled run is harmless. */
@Injectable()
export class DailyScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('scheduler');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly commands: CommandBus) {}

  onApplicationBootstrap(): void {
    this.scheduleNext(Date.now());
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private scheduleNext(now: number): void {
    const midnight = Math.floor(now / DAY_MS) * DAY_MS;
    let next = midnight + RUN_AT_MINUTE_UTC * 60_000;
    if (next <= now) next += DAY_MS;
    this.timer = setTimeout(() => void this.run(), next - now);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      const report: SettlementReport = await this.commands.execute(new SettleMembersCommand(undefined));
      this.logger.log(`daily settlement: ${JSON.stringify(report)}`);
    } catch (error) {
      this.logger.error(`daily settlement failed, retried tomorrow: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.scheduleNext(Date.now());
    }
  }
}
