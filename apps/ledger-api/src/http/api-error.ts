import { HttpException } from '@nestjs/common';

/** An HTTP-level refusal with the contract's error body: `{ error: { code, message, details } }`. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super({ error: { code, message, details } }, status);
  }
}
