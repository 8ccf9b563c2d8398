/** Sums and products of points checked to stay exact as JS numbers. */
export function exact(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} is not an exact integer: ${value}`);
  return value;
}

/** Money in JSON: a number while it is exact, else its decimal string, never a rounded float. */
export type MinorAmount = number | string;
export const minorOf = (value: bigint): MinorAmount =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();

/** Positions are 64-bit; as strings they survive JSON and pass back as `atPosition` unchanged. */
export const positionOf = (position: bigint | null): string | null => (position === null ? null : position.toString());
