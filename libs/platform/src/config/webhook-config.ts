/** How webhook deliveries are retried, bounded and guarded (docs/webhooks.md); every value from the environment. */
export interface WebhookConfig {
  /** The first retry waits this long; each later one twice as long as the one before, up to retryDelayMaxMs. */
  readonly retryDelayFirstMs: number;
  readonly retryDelayMaxMs: number;
  /** A delivery still failing this long after its first attempt is parked. */
  readonly retryWindowMs: number;
  /** One attempt, connection to the end of the response, is abandoned after this. */
  readonly attemptTimeoutMs: number;
  /** How often the worker looks for due deliveries when nothing new woke it. */
  readonly pollIntervalMs: number;
  /** Attempts in flight per webhook: a slow receiver holds only its own slots. */
  readonly concurrencyPerWebhook: number;
  /** NODE_ENV=production: targets resolving to private, loopback, link-local (any non-public) addresses are refused. */
  readonly refuseNonPublicTargets: boolean;
  /** Host names, addresses or CIDR ranges accepted even when not public (an operator's own CRM on the private network). */
  readonly allowedTargets: readonly string[];
  /** PointsExpiringSoon is sent for points expiring within this many days. */
  readonly expiringWithinDays: number;
  /** CouponExpiringSoon is sent for active coupons expiring within this many days. */
  readonly couponsExpiringWithinDays: number;
  /** How often the points and coupons still to expire are looked at for PointsExpiringSoon and CouponExpiringSoon. */
  readonly expiryScanIntervalMs: number;
  /**
   * Delivered deliveries are kept this long for GET .../deliveries, then deleted. At least the expiring-soon windows,
   * so a notification still in its window is never queued again after its row is gone.
   */
  readonly deliveredRetentionDays: number;
}

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
export const WEBHOOK_CONFIG_DEFAULTS = {
  retryDelayFirstMs: 5 * SECOND_MS,
  retryDelayMaxMs: HOUR_MS,
  retryWindowMs: 24 * HOUR_MS,
  attemptTimeoutMs: 10 * SECOND_MS,
  pollIntervalMs: SECOND_MS,
  concurrencyPerWebhook: 4,
  expiringWithinDays: 30,
  couponsExpiringWithinDays: 7,
  expiryScanIntervalMs: HOUR_MS,
  deliveredRetentionDays: 30,
} as const;
/** Bounds that keep a misconfiguration from hammering a receiver or holding a worker slot for minutes. */
const ATTEMPT_TIMEOUT_MS_MAX = 60 * SECOND_MS;
const CONCURRENCY_PER_WEBHOOK_MAX = 64;
const EXPIRING_WITHIN_DAYS_MAX = 366;
const RETENTION_DAYS_MAX = 3660;

export function parseWebhookConfig(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): WebhookConfig {
  const d = WEBHOOK_CONFIG_DEFAULTS;
  const count = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max)
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
    return parsed;
  };
  const config: WebhookConfig = {
    retryDelayFirstMs: count('WEBHOOK_RETRY_FIRST_DELAY_MS', d.retryDelayFirstMs, 1),
    retryDelayMaxMs: count('WEBHOOK_RETRY_MAX_DELAY_MS', d.retryDelayMaxMs, 1),
    retryWindowMs: count('WEBHOOK_RETRY_WINDOW_MS', d.retryWindowMs, 0),
    attemptTimeoutMs: count('WEBHOOK_ATTEMPT_TIMEOUT_MS', d.attemptTimeoutMs, 1, ATTEMPT_TIMEOUT_MS_MAX),
    pollIntervalMs: count('WEBHOOK_POLL_INTERVAL_MS', d.pollIntervalMs, 1),
    concurrencyPerWebhook: count('WEBHOOK_CONCURRENCY_PER_WEBHOOK', d.concurrencyPerWebhook, 1, CONCURRENCY_PER_WEBHOOK_MAX),
    refuseNonPublicTargets: production,
    allowedTargets: (env.WEBHOOK_ALLOWED_TARGETS ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
    expiringWithinDays: count('NOTIFY_POINTS_EXPIRING_WITHIN_DAYS', d.expiringWithinDays, 1, EXPIRING_WITHIN_DAYS_MAX),
    couponsExpiringWithinDays: count('NOTIFY_COUPONS_EXPIRING_WITHIN_DAYS', d.couponsExpiringWithinDays, 1, EXPIRING_WITHIN_DAYS_MAX),
    expiryScanIntervalMs: count('NOTIFY_EXPIRY_SCAN_INTERVAL_MS', d.expiryScanIntervalMs, 1),
    deliveredRetentionDays: count('WEBHOOK_DELIVERED_RETENTION_DAYS', d.deliveredRetentionDays, 1, RETENTION_DAYS_MAX),
  };
  if (config.deliveredRetentionDays < Math.max(config.expiringWithinDays, config.couponsExpiringWithinDays)) {
    problems.push(
      'WEBHOOK_DELIVERED_RETENTION_DAYS must be at least NOTIFY_POINTS_EXPIRING_WITHIN_DAYS and NOTIFY_COUPONS_EXPIRING_WITHIN_DAYS',
    );
  }
  if (config.retryDelayMaxMs < config.retryDelayFirstMs)
    problems.push('WEBHOOK_RETRY_MAX_DELAY_MS must not be below WEBHOOK_RETRY_FIRST_DELAY_MS');
  return config;
}
