import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CATCH_UP_WAIT_MS_DEFAULT, waitForCheckpoint } from '@loyalty/read-models';
import { READ_MODELS } from '../tokens';
import { ApiError } from './api-error';

const LEDGER_PROJECTION = 'ledger';

/** `?minPosition=`: wait (bounded) until the read models reflect a write the client already saw. */
@Injectable()
export class ReadConsistency {
  constructor(@Inject(READ_MODELS) private readonly db: DataSource) {}

  async atLeast(minPosition: string | undefined): Promise<void> {
    if (minPosition === undefined) return;
    if (!/^-?\d{1,19}$/.test(minPosition)) {
      throw new ApiError(400, 'INVALID_MIN_POSITION', 'minPosition must be an integer position returned by a write');
    }
    const reached = await waitForCheckpoint(this.db, LEDGER_PROJECTION, BigInt(minPosition), CATCH_UP_WAIT_MS_DEFAULT);
    if (reached === undefined) {
      throw new ApiError(
        503,
        'READ_MODEL_BEHIND',
        `the read models have not reached position ${minPosition} yet`,
        { minPosition },
        { 'retry-after': '1' },
      );
    }
  }
}
