import { Column, Entity, PrimaryColumn } from 'typeorm';
import { READ_MODEL_SCHEMA } from './schema';

/** bigint columns hold points; pg returns them as strings, converted here so no caller sees a float. */
const integer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ schema: READ_MODEL_SCHEMA, name: 'members' })
export class MemberRow {
  @PrimaryColumn({ name: 'member_id', type: 'text' }) memberId!: string;
  @Column({ name: 'member_type', type: 'text' }) memberType!: string;
  @Column({ type: 'text', nullable: true }) name!: string | null;
  @Column({ type: 'text', nullable: true }) email!: string | null;
  @Column({ name: 'birth_date', type: 'text', nullable: true }) birthDate!: string | null;
  @Column({ name: 'referred_by', type: 'text', nullable: true }) referredBy!: string | null;
  @Column({ type: 'text', nullable: true }) tier!: string | null;
  @Column({ name: 'tier_qualified_at', type: 'timestamptz' }) tierQualifiedAt!: Date;
  @Column({ name: 'enrolled_at', type: 'timestamptz' }) enrolledAt!: Date;
  @Column({ name: 'last_birthday_year', type: 'int', nullable: true }) lastBirthdayYear!: number | null;
  /** The member's own due instants for the daily settlement (null until a rebuild in a schema made before them). */
  @Column({ name: 'requalification_due_at', type: 'timestamptz', nullable: true }) requalificationDueAt!: Date | null;
  @Column({ name: 'birthday_due_at', type: 'timestamptz', nullable: true }) birthdayDueAt!: Date | null;
}

@Entity({ schema: READ_MODEL_SCHEMA, name: 'member_balances' })
export class MemberBalanceRow {
  @PrimaryColumn({ name: 'member_id', type: 'text' }) memberId!: string;
  @Column({ type: 'bigint', transformer: integer }) available!: number;
  @Column({ type: 'bigint', transformer: integer }) pending!: number;
  @Column({ name: 'lifetime_earned', type: 'bigint', transformer: integer }) lifetimeEarned!: number;
  @Column({ type: 'bigint', transformer: integer }) redeemed!: number;
  @Column({ type: 'bigint', transformer: integer }) expired!: number;
  @Column({ name: 'clawed_back', type: 'bigint', transformer: integer }) clawedBack!: number;
  @Column({ type: 'bigint', transformer: integer }) adjusted!: number;
  @Column({ name: 'transferred_in', type: 'bigint', transformer: integer }) transferredIn!: number;
  @Column({ name: 'transferred_out', type: 'bigint', transformer: integer }) transferredOut!: number;
  @Column({ type: 'bigint', transformer: integer }) debt!: number;
  @Column({ name: 'last_position', type: 'bigint', transformer: integer }) lastPosition!: number;
}

@Entity({ schema: READ_MODEL_SCHEMA, name: 'member_lots' })
export class MemberLotRow {
  @PrimaryColumn({ name: 'member_id', type: 'text' }) memberId!: string;
  @PrimaryColumn({ name: 'lot_id', type: 'text' }) lotId!: string;
  @Column({ type: 'bigint', transformer: integer }) points!: number;
  @Column({ type: 'bigint', transformer: integer }) remaining!: number;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text' }) source!: string;
  @Column({ name: 'pending_until', type: 'timestamptz', nullable: true }) pendingUntil!: Date | null;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  /** When the daily settlement next has something to do with the lot; null when never. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt!: Date | null;
}

@Entity({ schema: READ_MODEL_SCHEMA, name: 'ledger_entries' })
export class LedgerEntryRow {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' }) entryId!: string;
  @Column({ name: 'member_id', type: 'text' }) memberId!: string;
  @Column({ type: 'bigint', transformer: integer }) position!: number;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'bigint', transformer: integer }) points!: number;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'jsonb' }) detail!: Record<string, unknown>;
}

@Entity({ schema: READ_MODEL_SCHEMA, name: 'checkpoints' })
export class CheckpointRow {
  @PrimaryColumn({ type: 'text' }) projection!: string;
  @Column({ type: 'bigint', transformer: integer }) position!: number;
}

export const READ_MODEL_ENTITIES = [MemberRow, MemberBalanceRow, MemberLotRow, LedgerEntryRow, CheckpointRow];
