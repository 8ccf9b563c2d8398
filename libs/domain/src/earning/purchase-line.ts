/** One line of a purchase, as the till sends it: what earning, offers and segments read of a basket. */
export interface PurchaseLine {
  readonly sku: string;
  readonly category?: string;
  readonly quantity: number;
  readonly unitPriceMinor: number;
}
