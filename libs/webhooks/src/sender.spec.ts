import { lookup } from 'node:dns';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { describeSendFailure, post } from './sender';

describe('one delivery attempt', () => {
  let server: Server;
  let url: URL;
  let answer: (status: number) => void = () => undefined;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      answer = (status) => response.writeHead(status).end('ignored body');
      if (request.headers['x-answer']) answer(Number(request.headers['x-answer']));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (signal: AbortSignal, headers: Record<string, string> = {}) => post(url, { headers, body: '{}', signal, lookup });
  const failure = (promise: Promise<unknown>) => promise.then(() => 'answered', describeSendFailure);

  it('resolves with any status the receiver answers, redirects included', async () => {
    expect(await send(AbortSignal.timeout(5000), { 'x-answer': '204' })).toBe(204);
    expect(await send(AbortSignal.timeout(5000), { 'x-answer': '302' })).toBe(302);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    expect(await failure(send(AbortSignal.timeout(100)))).toBe('timed out');
  });

  it('ends at once when the worker shuts down, and says so', async () => {
    const shutdown = new AbortController();
    const attempt = failure(send(AbortSignal.any([AbortSignal.timeout(5000), shutdown.signal])));
    await new Promise((r) => setTimeout(r, 50));
    shutdown.abort();
    expect(await attempt).toBe('abandoned at shutdown');
  });

  it('keeps a failure to its code and message', async () => {
    const closed = new URL('http://127.0.0.1:1/hook');
    expect(await failure(post(closed, { headers: {}, body: '{}', signal: AbortSignal.timeout(5000), lookup }))).toMatch(/ECONNREFUSED/);
  });
});
