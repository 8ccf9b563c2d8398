import { registerDecorator, ValidationOptions } from 'class-validator';
import { multiplierToBasisPoints } from '@loyalty/domain';

/** A JSON object whose keys are short names and whose values all pass `check`. */
export function IsRecordOf(
  check: (value: unknown) => boolean,
  valueDescription: string,
  entriesMax: number,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRecordOf',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be an object of at most ${entriesMax} entries mapping names to ${valueDescription}`, ...options },
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= entriesMax && entries.every(([k, v]) => /^[A-Za-z0-9._:-]{1,64}$/.test(k) && check(v));
        },
      },
    });
}

/** A multiplier such as 1.5: non-negative, at most four decimals, stored as basis points. */
export function IsMultiplier(maxBasisPoints: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMultiplier',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a non-negative number with at most 4 decimals', ...options },
      validator: { validate: (value: unknown) => isMultiplier(value, maxBasisPoints) },
    });
}

export function isMultiplier(value: unknown, maxBasisPoints: number): boolean {
  if (typeof value !== 'number') return false;
  const bp = multiplierToBasisPoints(value);
  return bp !== undefined && bp <= maxBasisPoints;
}

export const isNonNegativeInt = (max: number) => (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
