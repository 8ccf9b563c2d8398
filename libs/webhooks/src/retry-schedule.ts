import type { WebhookConfig } from '@loyalty/platform';

export type RetryDecision = { readonly park: true } | { readonly park: false; readonly nextAttemptAtMs: number };

/**
 * After a failed attempt: the next one after min(first × 2^(attempts-1), max),
 * or parked once the attempts have spanned the retry window, so a receiver is
 * tried for at least the window (24 h by default) before anything is parked.
 */
export function afterFailure(
  config: Pick<WebhookConfig, 'retryDelayFirstMs' | 'retryDelayMaxMs' | 'retryWindowMs'>,
  attempts: number,
  firstAttemptAtMs: number,
  failedAtMs: number,
): RetryDecision {
  if (failedAtMs - firstAttemptAtMs >= config.retryWindowMs) return { park: true };
  const exponent = Math.min(attempts - 1, 52);
  const delayMs = Math.min(config.retryDelayFirstMs * 2 ** exponent, config.retryDelayMaxMs);
  return { park: false, nextAttemptAtMs: failedAtMs + delayMs };
}
