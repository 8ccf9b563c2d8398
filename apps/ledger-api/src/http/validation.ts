import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** Client-chosen ids: 1-128 chars of [A-Za-z0-9._:-] (API.md). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const CLIENT_ID_MESSAGE = '$property must be 1-128 characters of A-Z a-z 0-9 . _ : -';

/** Whitelist, forbid unknown fields, no implicit conversion: a string "10" is not an integer. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
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
