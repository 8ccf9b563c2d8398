import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly lookup: LookupFunction;
}

/**
 * One POST, resolved with the response's status once its body has been read
 * (and thrown away), or rejected on a network failure or when the whole
 * exchange outlasts the timeout. Redirects are not followed: a 3xx is an
 * answer like any other non-2xx, and following it would leave the checked target.
 */
export function post(url: URL, options: PostOptions): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) },
        lookup: options.lookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response: IncomingMessage) => {
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
        response.on('close', () => {
          if (!response.complete) reject(new Error('the response ended early'));
        });
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** What is kept of a failure: its code and message, never a response body (it may hold anything). */
export function describeSendFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (error instanceof Error && error.name === 'AbortError') return 'timed out';
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return (typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message).slice(0, 300);
}
