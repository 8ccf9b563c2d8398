import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Aborts the exchange: the attempt's timeout, or the worker's shutdown. */
  readonly signal: AbortSignal;
  readonly lookup: LookupFunction;
}

/**
 * One POST, resolved with the response's status once its body has been read
 * (and thrown away), or rejected on a network failure or when the signal
 * aborts it (the whole exchange is bounded, not each read). Redirects are not followed: a 3xx is an
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
        signal: options.signal,
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
  // Read by shape: errors of node's internals may come from another realm than this module's Error.
  const { name, code, message, cause } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown; cause?: { name?: unknown } };
  if (name === 'TimeoutError' || cause?.name === 'TimeoutError') return 'timed out';
  if (name === 'AbortError') return 'abandoned at shutdown';
  const text = typeof message === 'string' ? message : String(error);
  return (typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text).slice(0, 300);
}
