import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedAttempt {
  readonly id: string;
  readonly type: string;
  readonly verified: boolean;
  readonly body: { id: string; type: string; occurredAt: string; memberId: string | null; data: Record<string, unknown> };
  readonly headers: IncomingMessage['headers'];
  readonly atMs: number;
}

/** What the receiver does with the n-th attempt (from 1) of a message: as a real CRM might fail. */
export type Behaviour = (attempt: number, type: string) => 'refuse' | 'apply-then-fail' | 'accept' | 'hang';

/**
 * A webhook receiver as an operator would write one: it checks the signature,
 * de-duplicates on the id and applies each message once, whatever it answers.
 */
export class Receiver {
  readonly attempts: ReceivedAttempt[] = [];
  /** The messages that took effect, each once: the receiver's side of at-least-once delivery. */
  readonly effects = new Map<string, ReceivedAttempt['body']>();
  private readonly hanging: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly secret: string,
    public behaviour: Behaviour,
  ) {}

  static async start(secret: string, behaviour: Behaviour = () => 'accept', path = '/hook'): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new Receiver(server, `http://127.0.0.1:${port}${path}`, secret, behaviour);
    server.on('request', (request, response) => void receiver.handle(request, response));
    return receiver;
  }

  /** What took effect, of one type or all. */
  applied(type?: string): Array<ReceivedAttempt['body']> {
    return [...this.effects.values()].filter((body) => !type || body.type === type);
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const timestamp = String(request.headers['x-loyalty-timestamp'] ?? '');
    const expected = `sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest('hex')}`;
    const presented = String(request.headers['x-loyalty-signature'] ?? '');
    const verified = presented.length === expected.length && timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
    const body = JSON.parse(raw) as ReceivedAttempt['body'];
    this.attempts.push({ id: body.id, type: body.type, verified, body, headers: request.headers, atMs: Date.now() });
    if (!verified) return void response.writeHead(401).end();
    const attempt = this.attempts.filter((a) => a.id === body.id).length;
    const behaviour = this.behaviour(attempt, body.type);
    if (behaviour === 'hang') return void this.hanging.push(response);
    if (behaviour === 'refuse') return void response.writeHead(503).end('not now');
    if (!this.effects.has(body.id)) this.effects.set(body.id, body);
    response.writeHead(behaviour === 'accept' ? 204 : 500).end();
  }
}

/** Polls until `check` holds, or fails with what it last saw. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
