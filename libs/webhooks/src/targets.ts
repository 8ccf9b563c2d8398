import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { WebhookConfig } from '@loyalty/platform';

export const WEBHOOK_URL_LENGTH_MAX = 2048;

export type TargetRefusalCode = 'WEBHOOK_URL_INVALID' | 'WEBHOOK_TARGET_FORBIDDEN' | 'WEBHOOK_TARGET_UNRESOLVED';

export class TargetRefusedError extends Error {
  constructor(
    readonly code: TargetRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/** Resolves a host name to every address it has, as the HTTP client would. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

type Allowed = { readonly hosts: ReadonlySet<string>; readonly ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]> };

/**
 * Where deliveries may go. Only http(s), never with credentials in the URL
 * (they would be stored and shown). With refuseNonPublicTargets every address
 * the host resolves to must be public unicast, or the host or address be
 * allow-listed: checked at registration, and again on each connection by the
 * HTTP client's lookup, so a name re-pointed at an internal address later
 * (DNS rebinding) is refused at delivery too.
 */
export class TargetPolicy {
  private readonly allowed: Allowed;

  constructor(
    private readonly config: Pick<WebhookConfig, 'refuseNonPublicTargets' | 'allowedTargets'>,
    private readonly resolve: Resolver = systemResolver,
  ) {
    const ranges = config.allowedTargets.flatMap((entry) => {
      if (ipaddr.isValidCIDR(entry)) return [ipaddr.parseCIDR(entry)];
      if (ipaddr.isValid(entry)) {
        const address = ipaddr.process(entry);
        return [[address, address.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]];
      }
      return [];
    });
    this.allowed = { hosts: new Set(config.allowedTargets), ranges };
  }

  /** The URL as it will be called, or a refusal; resolves the host when non-public targets are refused. */
  async check(raw: string): Promise<URL> {
    const url = parseTarget(raw);
    if (!this.config.refuseNonPublicTargets) return url;
    const host = hostOf(url);
    if (this.allowed.hosts.has(host)) return url;
    let addresses: readonly LookupAddress[];
    try {
      addresses = await this.resolve(host);
    } catch {
      throw new TargetRefusedError('WEBHOOK_TARGET_UNRESOLVED', `the host ${host} does not resolve`);
    }
    for (const { address } of addresses) this.assertPermitted(host, address);
    return url;
  }

  /** For node:http(s): resolves like the system does, then refuses the connection unless every address is permitted. */
  readonly lookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        try {
          for (const { address } of addresses) this.assertPermitted(hostname, address);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '', 0);
          return;
        }
        const usable = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) callback(null, [...usable]);
        else if (usable[0]) callback(null, usable[0].address, usable[0].family);
        else callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  private assertPermitted(host: string, address: string): void {
    if (!this.config.refuseNonPublicTargets || this.allowed.hosts.has(host.toLowerCase())) return;
    const ip = ipaddr.process(address);
    if (ip.range() === 'unicast') return;
    if (this.allowed.ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return;
    throw new TargetRefusedError(
      'WEBHOOK_TARGET_FORBIDDEN',
      `${host} resolves to a ${ip.range()} address; only public addresses are allowed unless WEBHOOK_ALLOWED_TARGETS lists it`,
    );
  }
}

export function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError('WEBHOOK_URL_INVALID', 'url must be an absolute http or https URL');
  }
  if (raw.length > WEBHOOK_URL_LENGTH_MAX)
    throw new TargetRefusedError('WEBHOOK_URL_INVALID', `url must be at most ${WEBHOOK_URL_LENGTH_MAX} characters`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TargetRefusedError('WEBHOOK_URL_INVALID', 'url must be http or https');
  if (url.username || url.password)
    throw new TargetRefusedError('WEBHOOK_URL_INVALID', 'url must not carry credentials; sign with the secret');
  return url;
}

/** The host without IPv6 brackets, lower case: what the allow-list and the resolver are asked about. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
