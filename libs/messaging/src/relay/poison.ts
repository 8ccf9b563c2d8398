/**
 * Broker answers that condemn the records themselves: sending them again can
 * never succeed, so the relay sets them aside instead of stalling. Anything
 * else (broker down, authorisation, unknown topic) is a condition of the
 * system, retried with back-off and reported as failing, never dead-lettered.
 */
const POISON_ERROR_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

/** Bound on the cause chain walked, so a cyclic cause cannot spin. */
const CAUSE_DEPTH_MAX = 8;

export function poisonErrorType(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < CAUSE_DEPTH_MAX && current && typeof current === 'object'; depth++) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && POISON_ERROR_TYPES.has(type)) return type;
    current = (current as { cause?: unknown; originalError?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
