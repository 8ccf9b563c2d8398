/**
 * Domain refusals are values with stable codes; the HTTP layer maps `kind` to
 * a status in one place.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'rejected';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'invalid', message, details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'not_found', message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'conflict', message, details);
export const rejected = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'rejected', message, details);
