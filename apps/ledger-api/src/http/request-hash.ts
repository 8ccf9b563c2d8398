import { createHash } from 'node:crypto';
import { canonicalJson } from '@loyalty/domain';

/**
 * Identifies a request body as the client sent it (key order aside), so a
 * retry is told apart from a reuse of the same id for something else.
 * Defaults filled in server-side (like occurredAt = now) are not part of it.
 */
export function requestHash(route: string, body: object): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('base64url');
}
