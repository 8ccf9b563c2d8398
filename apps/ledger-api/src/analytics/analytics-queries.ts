import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '@loyalty/platform';
import { loadCheckpoint, READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { ApiError } from '../http/api-error';
import { READ_MODELS } from '../tokens';

export const SEGMENT_PAGE_SIZE_DEFAULT = 100;
export const SEGMENT_PAGE_SIZE_MAX = 1000;
const LEDGER_PROJECTION = 'ledger';

/** Segment reads: sizes, definitions and members, as of the segment clock (the latest event time seen). */
@Injectable()
export class AnalyticsQueries {
  constructor(@Inject(READ_MODELS) private readonly db: DataSource) {}

  async asOfPosition(): Promise<number> {
    return Number((await loadCheckpoint(this.db.manager, LEDGER_PROJECTION)) ?? -1n);
  }

  async evaluatedAsOf(): Promise<string | null> {
    const [clock] = await queryRows<{ as_of: Date }>(this.db, `select as_of from ${S}.segment_clock where id = 1`);
    return clock ? clock.as_of.toISOString() : null;
  }

  async segments() {
    const rows: Array<{ name: string; kind: string; description: string; criteria: unknown; members: string }> = await this.db.query(
      `select d.name, d.kind, d.description, d.criteria,
              (select count(*) from ${S}.segment_memberships m where m.segment = d.name and m.left_at is null) as members
       from ${S}.segment_definitions d order by d.kind, d.name`,
    );
    const [settings] = await queryRows<{ thresholds: unknown }>(this.db, `select thresholds from ${S}.segment_settings where id = 1`);
    return {
      segments: rows.map((r) => ({
        name: r.name,
        kind: r.kind,
        description: r.description,
        definition: r.criteria,
        memberCount: Number(r.members),
      })),
      thresholds: settings?.thresholds ?? null,
    };
  }

  /** Ordered by member id; the cursor is the last member id of the previous page. */
  async members(segment: string, cursor: string | undefined, limit: number) {
    const [exists] = await queryRows<object>(this.db, `select 1 from ${S}.segment_definitions where name = $1`, [segment]);
    if (!exists) throw new ApiError(404, 'SEGMENT_NOT_FOUND', `no segment ${segment}`, { segment });
    const after = cursor === undefined ? '' : decodeCursor(cursor);
    const rows: Array<{ member_id: string; entered_at: Date }> = await this.db.query(
      `select member_id, entered_at from ${S}.segment_memberships
       where segment = $1 and left_at is null and member_id > $2 order by member_id limit $3`,
      [segment, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      segment,
      members: page.map((r) => ({ memberId: r.member_id, enteredAt: r.entered_at.toISOString() })),
      nextCursor: rows.length > limit && last ? Buffer.from(`m:${last.member_id}`).toString('base64url') : null,
    };
  }
}

function decodeCursor(cursor: string): string {
  const match = /^m:([A-Za-z0-9._:-]{1,128})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ApiError(400, 'INVALID_CURSOR', 'the cursor is not one this API returned');
  return match[1]!;
}
