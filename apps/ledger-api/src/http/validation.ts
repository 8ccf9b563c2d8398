import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** Client-chosen ids: 1-128 chars of [A-Za-z0-9._:-] (docs/http-api.md). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const CLIENT_ID_MESSAGE = '$property must be 1-128 characters of A-Z a-z 0-9 . _ : -';

/** Own keys Nest removes from a body before class-transformer sees it, which would take them for a class's. */
const PROTOTYPE_KEYS = ['__proto__', 'prototype', 'constructor'];
/** Those keys as the client sent them, per object of the body being validated; gone with the body. */
const removedEntries = new WeakMap<object, Array<[string, unknown]>>();

/**
 * Nest's pipe, except that the prototype keys it removes are kept aside, so a
 * name map (`categoryMultipliers: { constructor: 3 }`) can be read as sent
 * (`asSent`), and the walk is a loop: the body's depth was bounded before.
 */
class LedgerValidationPipe extends ValidationPipe {
  protected override stripProtoKeys(body: unknown): void {
    const pending: unknown[] = [body];
    while (pending.length > 0) {
      const value = pending.pop();
      if (value === null || typeof value !== 'object') continue;
      if (!Array.isArray(value)) removePrototypeKeys(value);
      pending.push(...Object.values(value as Record<string, unknown>));
    }
  }
}

function removePrototypeKeys(object: object): void {
  const removed = PROTOTYPE_KEYS.filter((key) => Object.hasOwn(object, key)).map((key): [string, unknown] => {
    const value = (object as Record<string, unknown>)[key];
    Reflect.deleteProperty(object, key);
    return [key, value];
  });
  if (removed.length > 0) removedEntries.set(object, removed);
}

/**
 * A JSON value as the client sent it, prototype keys included, in objects
 * without a prototype: there `constructor` or `__proto__` is just a key.
 * Recursive, as the body's depth is bounded (JSON_DEPTH_MAX) before any pipe.
 */
export function asSent(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(asSent);
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of [...Object.entries(value), ...(removedEntries.get(value) ?? [])]) copy[key] = asSent(item);
  return copy;
}

/** Whitelist, forbid unknown fields, no implicit conversion: a string "10" is not an integer. */
export function validationPipe(): ValidationPipe {
  return new LedgerValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ApiError(400, 'VALIDATION_FAILED', 'the request is not valid', { fields: flatten(errors) }),
  });
}

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
