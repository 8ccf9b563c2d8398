import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProperty, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { clientIdSchema } from './openapi-schemas';

/** The error body of every refusal (error-filter.ts, api-error.ts). */
export class ApiErrorDetail {
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'stable, machine-readable; the message is for people' }) code!: string;
  @ApiProperty({ example: 'the request is not valid' }) message!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what the code needs to be acted on; {} when nothing',
    example: { fields: [{ field: 'amountMinor', problems: ['amountMinor must be an integer number'] }] },
  })
  details!: Record<string, unknown>;
}

export class ApiErrorBody {
  @ApiProperty({ type: ApiErrorDetail }) error!: ApiErrorDetail;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Malformed or invalid request (VALIDATION_FAILED, MALFORMED_JSON, INVALID_ID, ...)',
  401: 'No credentials, or unknown ones (UNAUTHENTICATED, MEMBER_TOKEN_MISSING, MEMBER_TOKEN_INVALID)',
  403: 'The role may not do this (FORBIDDEN)',
  404: 'Unknown member, transaction, coupon, ... (*_NOT_FOUND)',
  405: 'The path exists, the method does not (METHOD_NOT_ALLOWED)',
  409: 'The id was used with a different body, or the member changed concurrently too often',
  413: 'The body is over 64 KiB (BODY_TOO_LARGE)',
  415: 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'A valid request the ledger refuses (INSUFFICIENT_POINTS, REWARD_NOT_ELIGIBLE, ...)',
  429: 'Rate limited (RATE_LIMITED); see Retry-After',
  503: 'A store, or the read models asked for with minPosition, are not there yet; see Retry-After',
};

/** Operator routes: an API key of an allowed role, under its rate limit. */
export const KEY_ERRORS: readonly ErrorStatus[] = [401, 403, 429];
/** Members' routes: a member token, under the member's rate limit. */
export const MEMBER_ERRORS: readonly ErrorStatus[] = [401, 429];
/** A JSON body: refused when malformed, too large, not JSON or invalid. */
export const BODY_ERRORS: readonly ErrorStatus[] = [400, 413, 415];
/** A write of the ledger: its id used with another body, a refused command, the stores down. */
export const WRITE_ERRORS: readonly ErrorStatus[] = [...BODY_ERRORS, 404, 409, 422, 503];
/** A read of the read models: `minPosition` not reached, or the member's rows parked. */
export const READ_ERRORS: readonly ErrorStatus[] = [400, 503];

export interface OperationSpec {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** The answer: `written` answers 201 when recorded, 200 for the same request again (written.ts). */
  readonly success:
    { readonly status: 200 | 201 | 204; readonly schema?: SchemaObject; readonly mediaType?: string } | { readonly written: SchemaObject };
  readonly errors: readonly ErrorStatus[];
  /** Media types the success also comes in, besides JSON. */
  readonly alsoProduces?: { readonly mediaType: string; readonly schema: SchemaObject };
}

const errorResponse = (status: ErrorStatus) =>
  ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], schema: { $ref: getSchemaPath(ApiErrorBody) } });

/** One operation of the document: a stable operationId, its answers and every error it can give. */
export function ApiOperationSpec(spec: OperationSpec): MethodDecorator {
  const successes = (): Array<{ status: number; description: string; schema?: SchemaObject; mediaType?: string }> => {
    if ('written' in spec.success) {
      return [
        { status: 201, description: 'Recorded', schema: spec.success.written },
        { status: 200, description: 'The same request again: nothing recorded, the original answer', schema: spec.success.written },
      ];
    }
    const { status, schema, mediaType } = spec.success;
    return [{ status, description: status === 204 ? 'Done, no body' : 'OK', schema, mediaType }];
  };
  const alsoProduces = spec.alsoProduces;
  return applyDecorators(
    ApiOperation({ operationId: spec.operationId, summary: spec.summary, ...(spec.description ? { description: spec.description } : {}) }),
    ...successes().map(({ status, description, schema, mediaType = 'application/json' }) =>
      schema === undefined
        ? ApiResponse({ status, description })
        : ApiResponse({
            status,
            description,
            content: {
              [mediaType]: { schema },
              ...(alsoProduces ? { [alsoProduces.mediaType]: { schema: alsoProduces.schema } } : {}),
            },
          }),
    ),
    ...[...new Set(spec.errors)].sort().map(errorResponse),
  );
}

/** read-consistency.ts takes up to 19 digits, that is strictly within ±1e19 (exact as a JSON number). */
const MIN_POSITION_ABS_BOUND = 1e19;

/** `?minPosition=`: read-your-writes (read-consistency.ts). */
export const MinPositionQuery = () =>
  ApiQuery({
    name: 'minPosition',
    required: false,
    description:
      'Wait (at most 5 s) until the read models reflect this position, the `position` a write returned; else 503. A negative one waits for nothing',
    schema: {
      type: 'integer',
      minimum: -MIN_POSITION_ABS_BOUND,
      exclusiveMinimum: true,
      maximum: MIN_POSITION_ABS_BOUND,
      exclusiveMaximum: true,
      example: 1042,
    },
  });

/** `?limit=` of a page (PageLimitPipe). */
export const LimitQuery = (max: number, fallback: number) =>
  ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: max, default: fallback } });

/** `?cursor=`: the `nextCursor` of the previous page, as returned. */
export const CursorQuery = () =>
  ApiQuery({
    name: 'cursor',
    required: false,
    description: 'the nextCursor of the previous page, as returned',
    schema: { type: 'string' },
  });

/** A client-chosen id in the path (ClientIdPipe). */
export const ClientIdParam = (name: string, example: string) => ApiParam({ name, schema: clientIdSchema(example) });
