import { createHmac } from 'node:crypto';

/** `sha256=<hex>` of HMAC-SHA256 over `timestamp + "." + body`: the timestamp is signed, so a captured request cannot be re-dated. */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
