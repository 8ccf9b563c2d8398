import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { BIRTH_DATE_MIN, INSTANT_MAX, INSTANT_MIN, multiplierToBasisPoints, parseCalendarDate, parseInstant } from '@loyalty/domain';
import { asSent } from './validation';

/** What every instant the API accepts must be (README "Input rules"); the one parser is the domain's parseInstant. */
export const INSTANT_RULE = `an ISO 8601 instant with an offset (Z or ±hh:mm) and real calendar values, from ${INSTANT_MIN} to ${INSTANT_MAX}`;
const NAME_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
/** A birth date is somebody's today somewhere on Earth at the latest: the earliest zone is UTC+14. */
const EARLIEST_ZONE_AHEAD_MS = 14 * 3_600_000;

/** An instant by the one rule: parsed strictly, never rolled over (2026-02-30 is refused, not read as 2 March). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be ${INSTANT_RULE}`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== undefined },
    });
}

/** A real calendar date YYYY-MM-DD from BIRTH_DATE_MIN on and not in the future. */
export function IsBirthDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBirthDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be a real date YYYY-MM-DD from ${BIRTH_DATE_MIN.slice(0, 10)} on, not in the future`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          const ms = typeof value === 'string' ? parseCalendarDate(value, BIRTH_DATE_MIN) : undefined;
          return ms !== undefined && ms <= Date.now() + EARLIEST_ZONE_AHEAD_MS;
        },
      },
    });
}

/**
 * A JSON object from names (categories, action types) to values, taken as the
 * client sent it: class-transformer would drop the names it takes for members
 * of a class (`toString`, `constructor`), so the object is copied as sent
 * into one without a prototype, where every name is just a name.
 */
export function IsNameMap(
  check: (value: unknown) => boolean,
  valueDescription: string,
  entriesMax: number,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ obj, key }) => asSent((obj as Record<string, unknown>)[key]), { toClassOnly: true })(target, propertyName);
    registerDecorator({
      name: 'isNameMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be an object of at most ${entriesMax} entries mapping names to ${valueDescription}`, ...options },
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= entriesMax && entries.every(([k, v]) => NAME_PATTERN.test(k) && check(v));
        },
      },
    });
  };
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
