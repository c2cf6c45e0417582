import { isStopword, words, yearsIn } from '../core/text.js';

/** Openings that continue the previous question ("and in 2022?", "what about the base?"). */
const CONTINUATION = /^\s*(and|but|also|so|plus|what about|how about|what of)\b/i;
/** Words that point back to what was just discussed. */
const POINTS_BACK = /\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|then|same)\b/i;
/** A follow-up this short names too little to be a question of its own. */
const SHORT = 3;

/**
 * Whether a message reads as a follow-up that needs the question before it to make sense:
 * it opens like a continuation ("and in 2022?"), is only a year, or is short and points back
 * ("who founded it?"). A message that replies to an answer may also be a bare word ("Rogun?");
 * one that does not is then a new question. "How many Russian troops are in Tajikistan?"
 * stands on its own, also when sent as a reply. A heuristic of English phrasing, not fitted:
 * it decides only whether the previous question is added, and the answer is then ranked like
 * any other.
 */
export function isFollowUp(text: string, options: { replying?: boolean } = {}): boolean {
  const content = words(text).filter((w) => !isStopword(w) && !/^\d+$/.test(w));
  if (CONTINUATION.test(text)) return true;
  if (content.length === 0) return yearsIn(text).length > 0;
  if (content.length <= SHORT && POINTS_BACK.test(text)) return true;
  return options.replying === true && content.length === 1 && words(text).length <= 3;
}

/**
 * The question to answer for a follow-up: what it follows, then the follow-up, so the words of
 * both count and a year or name the follow-up adds prevails where they differ.
 */
export function inContext(options: { followUp: string; context: string }): string {
  const context = options.context.replace(/\s+/g, ' ').trim();
  return context === '' ? options.followUp : `${context} ${options.followUp.trim()}`;
}
