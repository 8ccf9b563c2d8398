import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from './api-error';
import { CLIENT_ID_PATTERN } from './validation';

/** Ids in paths follow the same rule as ids in bodies. */
@Injectable()
export class ClientIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CLIENT_ID_PATTERN.test(value)) {
      throw new ApiError(400, 'INVALID_ID', 'ids are 1-128 characters of A-Z a-z 0-9 . _ : -', { id: value.slice(0, 140) });
    }
    return value;
  }
}

export class PageLimitPipe implements PipeTransform<string | undefined, number> {
  constructor(
    private readonly fallback: number,
    private readonly max: number,
  ) {}

  transform(value: string | undefined): number {
    if (value === undefined) return this.fallback;
    const limit = Number(value);
    if (!/^\d+$/.test(value) || limit < 1 || limit > this.max) {
      throw new ApiError(400, 'INVALID_LIMIT', `limit must be an integer from 1 to ${this.max}`);
    }
    return limit;
  }
}
