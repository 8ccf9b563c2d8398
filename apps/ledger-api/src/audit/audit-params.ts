import { parseInstant } from '@loyalty/domain';
import { ApiError } from '../http/api-error';
import { INSTANT_RULE } from '../http/validators';

/** Positions are unsigned 64-bit: at most 20 digits. */
const POSITION_PATTERN = /^\d{1,20}$/;

/** An instant from a query string, with the codes API clients can rely on. */
export function instantParam(name: string, raw: string | undefined, nowMs: number): number {
  if (raw === undefined || raw === '') throw new ApiError(400, 'MISSING_PARAMETER', `${name} is required`, { parameter: name });
  const ms = parseInstant(raw);
  if (ms === undefined) throw new ApiError(400, 'INVALID_INSTANT', `${name} must be ${INSTANT_RULE}`, { parameter: name, value: raw });
  // A future instant would change its answer as events arrive: it could never be reproduced.
  if (ms > nowMs) throw new ApiError(400, 'AS_OF_IN_FUTURE', `${name} may not be in the future`, { parameter: name, value: raw });
  return ms;
}

export function positionParam(raw: string | undefined): bigint | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!POSITION_PATTERN.test(raw))
    throw new ApiError(400, 'INVALID_POSITION', 'atPosition must be a log position (digits)', { value: raw });
  return BigInt(raw);
}

export function flagParam(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ApiError(400, 'INVALID_PARAMETER', `${name} must be true or false`, { parameter: name, value: raw });
}

export function periodParams(from: string | undefined, to: string | undefined, nowMs: number): { fromMs: number; toMs: number } {
  const fromMs = instantParam('from', from, nowMs);
  const toMs = instantParam('to', to, nowMs);
  if (fromMs >= toMs) throw new ApiError(400, 'INVALID_PERIOD', 'from must be before to', { from, to });
  return { fromMs, toMs };
}
