import type { LookupAddress } from 'node:dns';
import { TargetPolicy, TargetRefusedError } from './targets';

const PRODUCTION = { refuseNonPublicTargets: true, allowedTargets: [] as string[] };
const resolvingTo =
  (...addresses: string[]) =>
  (): Promise<LookupAddress[]> =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

async function refusal(policy: TargetPolicy, url: string): Promise<string | undefined> {
  try {
    await policy.check(url);
    return undefined;
  } catch (error) {
    return (error as TargetRefusedError).code;
  }
}

function lookupThrough(policy: TargetPolicy, hostname: string): Promise<{ error: NodeJS.ErrnoException | null; address: unknown }> {
  return new Promise((resolve) => policy.lookup(hostname, { all: false }, (error, address) => resolve({ error, address })));
}

describe('webhook targets', () => {
  it('refuses loopback, private, link-local, unique-local and mapped addresses in production, whatever the host is called', async () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.5',
      '172.16.3.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      const policy = new TargetPolicy(PRODUCTION, resolvingTo(address));
      expect([address, await refusal(policy, 'https://crm.example.com/hook')]).toEqual([address, 'WEBHOOK_TARGET_FORBIDDEN']);
    }
    const mixed = new TargetPolicy(PRODUCTION, resolvingTo('93.184.215.14', '10.0.0.1'));
    expect(await refusal(mixed, 'https://crm.example.com/hook')).toBe('WEBHOOK_TARGET_FORBIDDEN');
    expect(await refusal(new TargetPolicy(PRODUCTION, resolvingTo('93.184.215.14')), 'https://crm.example.com/hook')).toBeUndefined();
  });

  it('accepts allow-listed hosts, addresses and ranges, and anything outside production', async () => {
    const allowed = new TargetPolicy(
      { refuseNonPublicTargets: true, allowedTargets: ['crm.internal', '10.1.0.0/16', '127.0.0.1'] },
      resolvingTo('10.9.9.9'),
    );
    expect(await refusal(allowed, 'http://crm.internal:8080/hook')).toBeUndefined();
    expect(
      await refusal(new TargetPolicy({ ...PRODUCTION, allowedTargets: ['10.1.0.0/16'] }, resolvingTo('10.1.2.3')), 'http://x.example/'),
    ).toBeUndefined();
    expect(
      await refusal(new TargetPolicy({ ...PRODUCTION, allowedTargets: ['10.1.0.0/16'] }, resolvingTo('10.2.0.1')), 'http://x.example/'),
    ).toBe('WEBHOOK_TARGET_FORBIDDEN');
    expect(
      await refusal(new TargetPolicy({ ...PRODUCTION, allowedTargets: ['127.0.0.1'] }, resolvingTo('127.0.0.1')), 'http://127.0.0.1:9/'),
    ).toBeUndefined();
    expect(
      await refusal(new TargetPolicy({ refuseNonPublicTargets: false, allowedTargets: [] }, resolvingTo('127.0.0.1')), 'http://localhost/'),
    ).toBeUndefined();
  });

  it('refuses a host that does not resolve, and every URL that is not plain http(s)', async () => {
    const unresolved = new TargetPolicy(PRODUCTION, () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })));
    expect(await refusal(unresolved, 'https://nowhere.example/')).toBe('WEBHOOK_TARGET_UNRESOLVED');
    const policy = new TargetPolicy({ refuseNonPublicTargets: false, allowedTargets: [] });
    for (const url of [
      'gopher://x.example/',
      'file:///etc/passwd',
      'https://a:b@x.example/',
      '/relative',
      `https://x.example/${'a'.repeat(2100)}`,
    ]) {
      expect([url.slice(0, 30), await refusal(policy, url)]).toEqual([url.slice(0, 30), 'WEBHOOK_URL_INVALID']);
    }
  });

  it('checks again when connecting, so a name re-pointed at an internal address after registration is refused (DNS rebinding)', async () => {
    let answer = '93.184.215.14';
    const policy = new TargetPolicy(PRODUCTION, () => Promise.resolve([{ address: answer, family: 4 }]));
    expect(await refusal(policy, 'https://crm.example.com/')).toBeUndefined();
    expect(await lookupThrough(policy, 'crm.example.com')).toEqual({ error: null, address: '93.184.215.14' });
    answer = '169.254.169.254';
    const rebound = await lookupThrough(policy, 'crm.example.com');
    expect((rebound.error as unknown as TargetRefusedError).code).toBe('WEBHOOK_TARGET_FORBIDDEN');
  });
});
