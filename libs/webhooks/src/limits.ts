/** Bounds on registrations: each queued message is copied once per listening webhook. */
export const WEBHOOK_LIMITS = {
  webhooksMax: 100,
  eventTypesMax: 64,
  /** HMAC keys shorter than this are guessable; 256 characters is more than any generator produces. */
  secretLengthMin: 16,
  secretLengthMax: 256,
  deliveriesPageMax: 500,
} as const;
