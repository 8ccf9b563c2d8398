import { auditCommand, UsageError } from './audit-command';

describe('npm run ledger:audit: instants', () => {
  it.each(['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z'])(
    'refuses --as-of %s before opening any storage',
    async (asOf) => {
      await expect(auditCommand(['liability', '--as-of', asOf])).rejects.toThrow(UsageError);
      await expect(auditCommand(['roll-forward', '--from', asOf, '--to', '2026-03-05T00:00:00Z'])).rejects.toThrow(/real date and time/);
    },
  );
});
