import { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/** Whether a parsed JSON value holds U+0000 in any string or key; walked with a stack of its own, as the body's depth is bounded before. */
export function holdsNulCharacter(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    for (const [key, child] of Object.entries(item)) {
      if (key.includes('\u0000')) return true;
      pending.push(child);
    }
  }
  return false;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a body carrying one would
 * fail at the write as a 500: it is refused first, as the bad input it is.
 */
export function refuseNulCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (!holdsNulCharacter(request.body)) return done();
    done(new ApiError(400, 'NUL_CHARACTER', 'the request body holds a NUL character (U+0000), which no field may hold'));
  });
}
