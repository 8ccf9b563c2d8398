import { ChildProcess } from 'node:child_process';
import { Pool } from 'pg';
import { AppProcess, startAppProcess } from '../../support/app-process';
import { Fault } from './campaign-plan';
import { RestartableCluster } from './cluster';
import { inBatch, LockHolder, ProjectorProcess, projectorLeader, startProjectorProcess } from './processes';

export const CAMPAIGN_API_KEY = 'fault-admin-key';
/** At most this many standalone projectors at once (the app hosts one more). */
const STANDALONE_PROJECTORS_MAX = 2;
/** How long a fault waits for a leader (after a restart the standbys take a poll interval to notice). */
const LEADER_WAIT_MS = 5000;
/** How long a fault aimed at a batch waits for the leader to be inside one; under load that is soon. */
const BATCH_WAIT_MS = 3000;
const POLL_MS = 2;
/** Enough of a crash report for its error and where it was thrown, not the objects Node prints after it. */
const CRASH_EXCERPT_LINES = 20;
/**
 * What PostgreSQL says when a projector inserts a read-model row another one
 * already inserted for the same event: it applied a batch that was applied
 * before, and only a unique key stopped it (a counter has none).
 */
const REAPPLIED = /duplicate key value violates unique constraint \\?"(\w+)/g;

interface Target {
  readonly name: string;
  readonly child: ChildProcess;
}

/**
 * The processes under test: one app (which hosts a projector of its own) and
 * one or two standalone projectors, all on the campaign cluster. Each process
 * names its connections (PGAPPNAME), so the leader and its batches can be
 * found in pg_locks.
 */
export class Services {
  private app: AppProcess | undefined;
  private appName = '';
  private readonly projectors: ProjectorProcess[] = [];
  private started = 0;
  private appBack: Promise<void> = Promise.resolve();
  private readonly admin: Pool;
  /** Processes this campaign signalled; any other exit is a crash. */
  private readonly signalled = new Set<ChildProcess>();
  /** Every process that died on its own, with what it printed about it. */
  readonly crashes: string[] = [];
  /** Every process started, running or not, for what it printed. */
  private readonly everStarted: Array<{ readonly name: string; output(): string }> = [];

  constructor(private readonly cluster: RestartableCluster) {
    this.admin = new Pool({ connectionString: cluster.databaseUrl, max: 1 });
    // The campaign restarts the server under this pool too: the next query reconnects.
    this.admin.on('error', () => undefined);
  }

  /** The app prints localhost; it listens on 127.0.0.1 only, which is where the campaign's requests go. */
  get url(): string {
    if (!this.app) throw new Error('the app is not running');
    return this.app.url.replace('//localhost:', '//127.0.0.1:');
  }

  get pool(): Pool {
    return this.admin;
  }

  /** Resolves once the app answers again after a SIGKILL (at once when it is up). */
  appAvailable(): Promise<void> {
    return this.appBack;
  }

  async start(): Promise<void> {
    // A standalone projector first, so it leads and the standalone faults hit the active one.
    await this.startProjector();
    await this.startApp();
  }

  /**
   * What a supervisor (systemd, Kubernetes) would do: a crashed app is
   * started again, and a standalone projector when none is left.
   */
  async supervise(): Promise<void> {
    if (this.app && this.app.child.exitCode !== null) await this.startApp();
    if (this.projectors.length === 0) await this.startProjector();
  }

  async inject(fault: Fault): Promise<string> {
    switch (fault.kind) {
      case 'app-sigkill':
        return this.killApp();
      case 'projector-sigkill':
        return this.killProjector();
      case 'projector-pause':
        return this.pauseLeader(fault.pauseMs, fault.losesLockSession);
      case 'second-projector':
        return this.toggleSecondProjector();
      case 'postgres-restart':
        await this.cluster.restart(fault.mode, fault.downMs);
        return `PostgreSQL stopped (${fault.mode}) and started again after ${fault.downMs} ms`;
    }
  }

  async leader(): Promise<LockHolder | undefined> {
    return projectorLeader(this.admin).catch(() => undefined);
  }

  /** Graceful stop of everything (SIGTERM), so the read models are at rest. */
  async stopAll(): Promise<void> {
    await Promise.all(this.projectors.splice(0).map((p) => this.stop(p, 'SIGTERM')));
    if (this.app) await this.stop(this.app, 'SIGTERM');
    this.app = undefined;
  }

  /** For afterAll: whatever is still running (paused ones too) dies. */
  async killAll(): Promise<void> {
    const children = [...this.projectors.splice(0).map((p) => p.child), ...(this.app ? [this.app.child] : [])];
    for (const child of children) {
      this.signalled.add(child);
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    this.app = undefined;
    await this.admin.end().catch(() => undefined);
  }

  /** Projectors that applied an event again (see REAPPLIED), found in what every process printed. */
  reapplied(): string[] {
    return this.everStarted.flatMap((started) => {
      const keys = new Set([...started.output().matchAll(REAPPLIED)].map((match) => match[1]));
      return keys.size === 0 ? [] : [`${started.name} applied events again (stopped by the unique keys ${[...keys].join(', ')})`];
    });
  }

  /** The last lines every process printed, for a failure message. */
  outputTails(chars: number): string {
    const tails: Array<[string, string]> = [
      ...(this.app ? [[this.appName, this.app.output()] as [string, string]] : []),
      ...this.projectors.map((p): [string, string] => [p.name, p.output()]),
    ];
    return tails.map(([name, output]) => `--- ${name}\n${output.slice(-chars)}`).join('\n');
  }

  private env(name: string): Record<string, string> {
    return { DATABASE_URL: this.cluster.databaseUrl, API_KEYS: `admin:${CAMPAIGN_API_KEY}`, RATE_LIMIT_PER_SECOND: '0', PGAPPNAME: name };
  }

  private async startApp(): Promise<void> {
    this.appName = `fault-app-${++this.started}`;
    this.app = await startAppProcess(this.env(this.appName));
    this.watch(this.appName, this.app);
  }

  private async startProjector(): Promise<ProjectorProcess> {
    const name = `fault-projector-${++this.started}`;
    const projector = await startProjectorProcess(name, this.env(name));
    this.projectors.push(projector);
    this.watch(name, projector);
    return projector;
  }

  private watch(name: string, running: { child: ChildProcess; output(): string }): void {
    this.everStarted.push({ name, output: () => running.output() });
    running.child.once('exit', (code, signal) => {
      if (this.signalled.has(running.child)) return;
      const output = running.output();
      const crash = output.search(/^(node:|\w*Error\b|error:)/m);
      const lines = (crash >= 0 ? output.slice(crash) : output).split('\n');
      const excerpt = (crash >= 0 ? lines.slice(0, CRASH_EXCERPT_LINES) : lines.slice(-CRASH_EXCERPT_LINES)).join('\n');
      this.crashes.push(`${name} exited on its own (code ${code}, signal ${signal}):\n${excerpt}`);
      const standalone = this.projectors.findIndex((p) => p.child === running.child);
      if (standalone >= 0) this.projectors.splice(standalone, 1);
    });
  }

  private stop(running: { child: ChildProcess; stop(signal: NodeJS.Signals): Promise<number | null> }, signal: NodeJS.Signals) {
    this.signalled.add(running.child);
    return running.stop(signal);
  }

  private async killApp(): Promise<string> {
    let back!: () => void;
    this.appBack = new Promise((resolve) => (back = resolve));
    const killed = this.appName;
    try {
      if (this.app) await this.stop(this.app, 'SIGKILL');
      await this.startApp();
    } finally {
      back();
    }
    return `SIGKILL ${killed}, started ${this.appName}`;
  }

  /** The leading standalone projector, in a batch when it gets to one in time (else the oldest); a replacement starts at once. */
  private async killProjector(): Promise<string> {
    const leader = await this.leaderWithin(LEADER_WAIT_MS);
    const target = this.projectors.find((p) => p.name === leader?.name) ?? this.projectors[0]!;
    const caught = await this.batchWithin(target.name, BATCH_WAIT_MS);
    this.projectors.splice(this.projectors.indexOf(target), 1);
    await this.stop(target, 'SIGKILL');
    const replacement = await this.startProjector();
    return `SIGKILL ${this.role(target.name, leader, caught)}, started ${replacement.name}`;
  }

  /**
   * SIGSTOP the process that projects (standalone or the app), in a batch when
   * it gets to one in time, SIGCONT after pauseMs. When it loses its lock
   * session, the session is terminated during the pause (as a timeout or a
   * network cut would) and the pause lasts until a standby has taken over:
   * it then resumes with a batch the new leader is applying too.
   */
  private async pauseLeader(pauseMs: number, losesLockSession: boolean): Promise<string> {
    let leader = await this.leaderWithin(LEADER_WAIT_MS);
    let handover = '';
    if (losesLockSession && leader && leader.name === this.appName) {
      // A paused app takes no writes, so nothing would follow the batch it holds: a standalone projector leads the pause instead.
      await this.admin.query('select pg_terminate_backend($1)', [leader.pid]);
      leader = await this.leaderWithin(LEADER_WAIT_MS, this.appName);
      handover = `${this.appName} led: its lock session terminated, ${leader?.name ?? 'nobody'} took over; `;
    }
    const target = this.targetOf(leader);
    const caught = await this.batchWithin(target.name, BATCH_WAIT_MS);
    target.child.kill('SIGSTOP');
    let lockLoss = '';
    try {
      const holder = await this.leader();
      if (losesLockSession && holder?.name === target.name) {
        await this.admin.query('select pg_terminate_backend($1)', [holder.pid]);
        const next = await this.leaderWithin(LEADER_WAIT_MS, target.name);
        lockLoss = `, its lock session terminated, ${next?.name ?? 'nobody'} took over`;
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    } finally {
      target.child.kill('SIGCONT');
    }
    return `${handover}SIGSTOP ${this.role(target.name, leader, caught)}${lockLoss}, SIGCONT after ${pauseMs} ms more`;
  }

  /** Two standalone projectors at once; when there are two already, the older one is stopped (SIGTERM: it hands over). */
  private async toggleSecondProjector(): Promise<string> {
    if (this.projectors.length < STANDALONE_PROJECTORS_MAX) {
      const second = await this.startProjector();
      const others = this.projectors.filter((p) => p !== second).map((p) => p.name);
      return `started ${second.name} next to ${others.join(', ')}`;
    }
    const oldest = this.projectors.shift()!;
    const code = await this.stop(oldest, 'SIGTERM');
    return `SIGTERM ${oldest.name} (exit ${code}), ${this.projectors.map((p) => p.name).join(', ')} left`;
  }

  private targetOf(leader: LockHolder | undefined): Target {
    const standalone = this.projectors.find((p) => p.name === leader?.name);
    if (standalone) return standalone;
    if (this.app && leader?.name === this.appName) return { name: this.appName, child: this.app.child };
    return this.projectors[0]!;
  }

  private role(name: string, leader: LockHolder | undefined, caughtInBatch: boolean): string {
    const role = name === leader?.name ? 'leader' : `standby; leader ${leader?.name ?? 'none'}`;
    return `${name} (${role}, ${caughtInBatch ? 'mid-batch' : 'between batches'})`;
  }

  /** The lock holder, waiting for one (other than `except`) to appear. */
  private async leaderWithin(timeoutMs: number, except?: string): Promise<LockHolder | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const leader = await this.leader();
      if ((leader && leader.name !== except) || Date.now() > deadline) return leader?.name === except ? undefined : leader;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async batchWithin(name: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await inBatch(this.admin, name).catch(() => false)) return true;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return false;
  }
}
