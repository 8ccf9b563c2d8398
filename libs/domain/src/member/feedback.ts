import { invalid, rejected } from '../values/errors';
import type { MemberState } from './state';

export const FEEDBACK_KINDS = ['review', 'survey'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

export const FEEDBACK_LIMITS = { ratingMin: 1, ratingMax: 5, textLengthMax: 2000, subjectLengthMax: 128 } as const;

/**
 * A member's review or survey answer, carried by the ActionRecorded it earns
 * its bonus through. The text is personal data: it enters the log only
 * sealed with the member's own key, so erasing the key erases it.
 */
export interface Feedback {
  readonly kind: FeedbackKind;
  readonly rating: number | null;
  /** What the feedback is about (a product, a store, a survey id), as the member's app names it. */
  readonly subject: string | null;
  readonly sealedText: string | null;
}

/** An erased member's key is gone for good: text sealed now would be under a new key no erasure would ever delete. */
export function assertFeedbackAccepted(feedback: Feedback, state: MemberState): void {
  if (feedback.sealedText !== null && state.erased) {
    throw rejected('MEMBER_ERASED', 'the member erased its personal data: feedback can no longer carry text');
  }
  const { ratingMin, ratingMax } = FEEDBACK_LIMITS;
  if (!FEEDBACK_KINDS.includes(feedback.kind)) {
    throw invalid('INVALID_FEEDBACK', `kind must be one of ${FEEDBACK_KINDS.join(', ')}`, { kind: feedback.kind });
  }
  if (feedback.rating !== null && !(Number.isInteger(feedback.rating) && feedback.rating >= ratingMin && feedback.rating <= ratingMax)) {
    throw invalid('INVALID_FEEDBACK', `rating must be an integer from ${ratingMin} to ${ratingMax}`, { rating: feedback.rating });
  }
}
