import { parseWebhookConfig, WEBHOOK_CONFIG_DEFAULTS } from './webhook-config';

const parse = (env: Record<string, string>, production = false) => {
  const problems: string[] = [];
  return { config: parseWebhookConfig(env, production, problems), problems };
};

describe('webhook configuration', () => {
  it('defaults to retries over 24 h, public targets only in production, nothing allow-listed', () => {
    expect(parse({}).config).toEqual({ ...WEBHOOK_CONFIG_DEFAULTS, refuseNonPublicTargets: false, allowedTargets: [] });
    expect(parse({}, true).config.refuseNonPublicTargets).toBe(true);
    expect(parse({ WEBHOOK_ALLOWED_TARGETS: ' CRM.internal , 10.0.0.0/8,' }).config.allowedTargets).toEqual(['crm.internal', '10.0.0.0/8']);
  });

  it('reports every bad value, and a retention shorter than a notification window', () => {
    const { problems } = parse({
      WEBHOOK_ATTEMPT_TIMEOUT_MS: '600000',
      WEBHOOK_CONCURRENCY_PER_WEBHOOK: '0',
      WEBHOOK_RETRY_FIRST_DELAY_MS: '5s',
      NOTIFY_POINTS_EXPIRING_WITHIN_DAYS: '60',
    });
    expect(problems).toEqual([
      'WEBHOOK_RETRY_FIRST_DELAY_MS must be an integer from 1 to 9007199254740991, got "5s"',
      'WEBHOOK_ATTEMPT_TIMEOUT_MS must be an integer from 1 to 60000, got "600000"',
      'WEBHOOK_CONCURRENCY_PER_WEBHOOK must be an integer from 1 to 64, got "0"',
      'WEBHOOK_DELIVERED_RETENTION_DAYS must be at least NOTIFY_POINTS_EXPIRING_WITHIN_DAYS and NOTIFY_COUPONS_EXPIRING_WITHIN_DAYS',
    ]);
    expect(parse({ WEBHOOK_RETRY_FIRST_DELAY_MS: '10', WEBHOOK_RETRY_MAX_DELAY_MS: '5' }).problems).toEqual([
      'WEBHOOK_RETRY_MAX_DELAY_MS must not be below WEBHOOK_RETRY_FIRST_DELAY_MS',
    ]);
  });
});
