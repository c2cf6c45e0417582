import { isStopword, words, yearsIn } from '../core/text.js';
import { CONVERSATION } from '../core/settings.js';

/** Openings that continue the previous question ("and in 2022?", "what about the base?"). */
const CONTINUATION = /^\s*(and|but|also|so|plus|what about|how about|what of)\b/i;
/** Words that point back to what was just discussed. */
const POINTS_BACK = /\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|then|same)\b/i;
/** A follow-up this short names too little to be a question of its own. */
const SHORT = CONVERSATION.followUpWords;

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
 * "it" stands for a thing named before, most often the last one. People and plurals are left
 * to the whole previous question: "how old is he?" after "Who is Rahmon's son?" is the son.
 */
const PRONOUN = /\b(it|its)\b/i;
/** Capitalised openings of a question, not names. */
const QUESTION_OPENING = /^(what|who|whom|whose|how|when|where|why|which|did|does|do|is|was|are|were|can|could|will|would|has|have|had|and|but|so|the|a|an|in|on|tell|please)$/i;

/** A run without the capitalised question words it starts with ("What Did the BTK Group"). */
function dropOpenings(words: string[]): string[] {
  const first = words.findIndex((word) => !QUESTION_OPENING.test(word));
  return first === -1 ? [] : words.slice(first);
}

/**
 * The last name a text mentions: a run of capitalised words or acronyms ("BTK Group",
 * "Central Asia", "Rahmon"), without a possessive "'s". Undefined when it names none.
 */
export function lastName(text: string): string | undefined {
  const runs = [...text.matchAll(/\b[A-Z][\p{L}\d-]*(?:[’']s)?(?:\s+(?:of\s+)?[A-Z][\p{L}\d-]*(?:[’']s)?)*/gu)].map((m) => m[0]);
  const names = runs
    .map((run) => dropOpenings(run.split(/\s+/)).join(' '))
    .map((run) => run.replace(/[’']s$/, '').replace(/^of\s+/, '').trim())
    .filter((run) => run !== '');
  return names.at(-1);
}

/**
 * The question to answer for a follow-up. One that points back with "it" ("who founded it?")
 * has it replaced by the last name the previous question mentions ("who founded BTK Group?");
 * otherwise, or with no name to use, it is read after the previous question ("How much trade
 * …? and in 2022?"), so the words of both count.
 */
export function inContext(options: { followUp: string; context: string }): string {
  const context = options.context.replace(/\s+/g, ' ').trim();
  const followUp = options.followUp.trim();
  if (context === '') return followUp;
  const name = CONTINUATION.test(followUp) ? undefined : lastName(context);
  if (name && PRONOUN.test(followUp)) {
    return followUp.replace(PRONOUN, (pronoun) => (pronoun.toLowerCase() === 'its' ? `${name}’s` : name));
  }
  return `${context} ${followUp}`;
}

/**
 * The question a message asks in its conversation: the one rule every front end uses (the
 * bot in private chats and groups, `npm run chat`). A message that reads as a follow-up is read
 * with the question it follows: the one behind the bot message it replies to (`replyContext`,
 * undefined when the bot cannot tell), or, where the conversation is one thread (a private
 * chat, the terminal) and it replies to nothing, the last question (`last`). Anything else is
 * asked as it is.
 */
export function questionInConversation(options: {
  text: string;
  /** It replies to a message of the bot's. */
  replyingToBot?: boolean;
  /** What that message answered (or quoted), when known. */
  replyContext?: string | undefined;
  /** It replies to someone else's message. */
  replyingToOther?: boolean;
  /** The conversation is one thread, so a follow-up without a reply follows the last question. */
  oneThread?: boolean;
  last?: string | undefined;
}): string {
  const { text, replyingToBot = false, replyContext, replyingToOther = false, oneThread = false, last } = options;
  if (!isFollowUp(text, { replying: replyingToBot })) return text;
  if (replyingToBot) return replyContext ? inContext({ followUp: text, context: replyContext }) : text;
  if (!oneThread || replyingToOther || last === undefined) return text;
  return inContext({ followUp: text, context: last });
}
