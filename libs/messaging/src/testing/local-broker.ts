import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/** A cold JVM plus KRaft controller election takes a few seconds; a slow CI machine gets headroom. */
const BROKER_READY_TIMEOUT_MS = 90_000;
const BROKER_STOP_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 250;
const BROKER_HEAP = '-Xmx768m';

/**
 * The repo's infra/kafka (fetch script, broker logging), found upward from
 * here: this file runs from the source tree under jest and from dist/ in
 * `npm run bench`, at different depths.
 */
function infraKafkaFile(name: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'infra', 'kafka', name);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`infra/kafka/${name} not found in any folder above ${__dirname}`);
  }
}

/** The broker jars (fetched once into a cache outside the repo by infra/kafka/fetch.sh). */
export function fetchKafkaJars(): string {
  const result = spawnSync('bash', [infraKafkaFile('fetch.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`infra/kafka/fetch.sh failed (${result.status}): ${result.stderr.trim().slice(-2000)}`);
  return result.stdout.trim().split('\n').pop()!;
}

export function javaVersion(): string {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`java is not on PATH: ${result.error?.message ?? result.stderr}`);
  return result.stderr.split('\n')[0] ?? 'java';
}

/** Resolves once an admin client can see the cluster with a controller, or rejects at the deadline. */
export async function waitForBroker(
  brokers: readonly string[],
  timeoutMs = BROKER_READY_TIMEOUT_MS,
  isAlive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not tried';
  while (Date.now() < deadline && isAlive()) {
    const admin = new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
      lastError = 'no controller yet';
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  throw new Error(`Kafka at ${brokers.join(',')} not ready: ${isAlive() ? lastError : 'broker process exited'}`);
}

/**
 * A single-node KRaft broker in its own directory on free ports. stop() and
 * start() keep the directory and the ports, so a fault test can take the
 * broker away and bring the same one back with its logs intact.
 */
export class LocalBroker {
  private process: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly jarsDir: string,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  get logFile(): string {
    return join(this.dir, 'broker.log');
  }

  static async create(jarsDir: string, overrides: Record<string, string> = {}): Promise<LocalBroker> {
    const dir = mkdtempSync(join(tmpdir(), 'loyalty-kafka-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    const properties: Record<string, string> = {
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
      listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
      'log.dirs': join(dir, 'data'),
      'num.partitions': '3',
      'auto.create.topics.enable': 'false',
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': '3',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      ...overrides,
    };
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'server.properties'),
      Object.entries(properties)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
    const broker = new LocalBroker(dir, port, jarsDir);
    broker.format();
    return broker;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const log = openSync(this.logFile, 'a');
    const child = spawn(
      'java',
      [
        BROKER_HEAP,
        `-Dlog4j.configuration=file:${infraKafkaFile('log4j.properties')}`,
        '-cp',
        `${this.jarsDir}/*`,
        'kafka.Kafka',
        join(this.dir, 'server.properties'),
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    this.process = child;
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
    try {
      await waitForBroker(this.brokers, BROKER_READY_TIMEOUT_MS, () => this.process === child);
    } catch (error) {
      await this.stop();
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- broker log tail ---\n${this.logTail()}`, {
        cause: error,
      });
    }
  }

  /** SIGTERM (controlled shutdown), then SIGKILL if it lingers; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), BROKER_STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.process = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no broker log)';
    }
  }

  private format(): void {
    // KRaft cluster ids are 16 random bytes, base64url without padding; one starting with '-' would read as an option.
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    const result = spawnSync(
      'java',
      [
        `-Dlog4j.configuration=file:${infraKafkaFile('log4j.properties')}`,
        '-cp',
        `${this.jarsDir}/*`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        join(this.dir, 'server.properties'),
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`kafka storage format failed: ${result.stderr || result.stdout}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
