import { Write } from './campaign-plan';

/** Longer than a paused process or a database restart keeps a request waiting; past it the write's fate is unknown. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * ack: a 2xx, the write must be in the log exactly once. rejected: a 4xx with
 * a stable code, the write must not be in the log. failed: no answer or a
 * 5xx, the write may or may not be in the log and is retried with its id.
 */
export type Outcome =
  | { readonly kind: 'ack'; readonly status: number }
  | { readonly kind: 'rejected'; readonly status: number; readonly code: string }
  | { readonly kind: 'failed'; readonly reason: string };

export async function send(baseUrl: string, write: Write, apiKey: string): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${write.path}`, {
      method: write.method,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(write.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { kind: 'failed', reason: cause?.code ?? (error as Error).name };
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return { kind: 'ack', status: response.status };
  const code = errorCode(text);
  if (response.status >= 400 && response.status < 500) return { kind: 'rejected', status: response.status, code };
  return { kind: 'failed', reason: `${response.status} ${code}` };
}

function errorCode(text: string): string {
  try {
    return String((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? 'no code');
  } catch {
    return 'no JSON body';
  }
}
