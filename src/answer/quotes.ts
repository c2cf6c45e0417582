import { terms, YEAR } from '../core/text.js';
import type { AnswerKind } from './question.js';
import type { QuotableSentence } from './store.js';
import { boundedMemo } from '../core/memo.js';

import { MAX_QUOTE_CHARS } from '../core/types.js';

export { MAX_QUOTE_CHARS };

const MONTH = /\b(january|february|march|april|may|june|july|august|september|october|november|december)\b/i;
const WEEKDAY = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;

/**
 * English number words, as a quantity may be written ("four gunmen", "hundreds of thousands").
 * "one" is left out: "one of …" says nothing of a number.
 */
const NUMBER_WORD =
  /\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?)\b/i;

/** Whether a sentence holds the kind of thing a question asks for. */
export function answersKind(text: string, kind: AnswerKind): boolean {
  if (kind === 'quantity') return /\d/.test(text) || NUMBER_WORD.test(text);
  if (kind === 'time') return YEAR.test(text) || MONTH.test(text) || WEEKDAY.test(text);
  return /[“”"]/.test(text);
}

/**
 * Words that point back to the sentence before: quoting them alone would lose the subject
 * ("He was sanctioned …"). English pronouns and determiners, not facts of the corpus.
 */
const BACK_REFERENCE = /^(he|she|it|they|this|that|these|those|his|her|its|their|the statement|the company|the base)\b/i;

/**
 * Whether a sentence is quoted together with the one before it: it opens with a back-reference,
 * the two are adjacent text of one paragraph, and together they stay under the length limit.
 */
export function joinsPrevious(c: QuotableSentence): boolean {
  return joinable(c.previous, c.text);
}

/** Whether the sentence after a candidate refers back to it, so the quote continues into it. */
export function joinsNext(c: QuotableSentence): boolean {
  const next = c.next;
  return next !== undefined && joinable({ ...next, text: c.text }, next.text) && !joinsPrevious(c);
}

function joinable(before: { text: string; gap: string } | undefined, text: string): boolean {
  return before !== undefined && BACK_REFERENCE.test(text) && !before.gap.includes('\n') && before.text.length + before.gap.length + text.length <= MAX_QUOTE_CHARS;
}

export interface Quote {
  text: string;
  start: number;
  end: number;
  /** Ids of the sentences the quote covers. */
  sentences: number[];
}

/**
 * Makes the quote for a candidate: the sentence itself, with the sentence before it when it
 * opens with a back-reference, or with the sentence after it when that one refers back to it
 * ("… founder is Taimuraz Bolloev. He was sanctioned …"), when the two are adjacent text;
 * trimmed to the clauses that
 * match the question when longer than the limit. The text is always the article's own
 * characters; trimmed parts are marked with "…".
 */
export function buildQuote(options: {
  candidate: QuotableSentence;
  queryTerms: string[];
  /** Sentences already quoted elsewhere in the answer: never repeated as context. */
  exclude?: ReadonlySet<number>;
  /** Join the sentence before on a back-reference. @default true */
  joinBackReferences?: boolean;
}): Quote {
  const { candidate: c, queryTerms, exclude, joinBackReferences = true } = options;
  const prev = c.previous;
  if (joinBackReferences && prev && !exclude?.has(prev.id) && joinsPrevious(c)) {
    return { text: `${prev.text}${prev.gap}${c.text}`, start: prev.start, end: c.end, sentences: [prev.id, c.id] };
  }
  const next = c.next;
  if (joinBackReferences && next && !exclude?.has(next.id) && joinsNext(c)) {
    return { text: `${c.text}${next.gap}${next.text}`, start: c.start, end: next.end, sentences: [c.id, next.id] };
  }
  if (c.text.length <= MAX_QUOTE_CHARS) return { text: c.text, start: c.start, end: c.end, sentences: [c.id] };
  const window = bestWindow({ text: c.text, queryTerms });
  const prefix = window.start > 0 ? '… ' : '';
  const suffix = window.end < c.text.length ? ' …' : '';
  return {
    text: `${prefix}${c.text.slice(window.start, window.end)}${suffix}`,
    start: c.start + window.start,
    end: c.start + window.end,
    sentences: [c.id],
  };
}

/**
 * Where a long sentence may be cut (after a separator or before a joining word) and the terms
 * of each clause between cuts; remembered, as the same long sentences come up question after
 * question.
 */
const clausesOf = boundedMemo((text: string) => {
  const cuts = [0];
  for (const m of text.matchAll(/[,;:–—-]\s+|\s+(?:and|but|while|which|where)\s+/g)) cuts.push((m.index ?? 0) + m[0].length);
  cuts.push(text.length);
  return { cuts, clauseTerms: cuts.slice(0, -1).map((start, i) => terms(text.slice(start, cuts[i + 1] ?? 0))) };
}, 5_000);

/** The run of clauses under the length limit that covers the most question terms. */
function bestWindow(options: { text: string; queryTerms: string[] }): { start: number; end: number } {
  const { text, queryTerms } = options;
  const limit = MAX_QUOTE_CHARS - 4;
  const { cuts, clauseTerms } = clausesOf(text);
  const wanted = new Set(queryTerms);
  // Hits per clause once; a window's hits are then a difference of prefix sums.
  const prefix = [0];
  clauseTerms.forEach((found, i) => prefix.push((prefix[i] ?? 0) + found.filter((t) => wanted.has(t)).length));
  let best = { start: 0, end: Math.min(text.length, limit), hits: -1 };
  for (let i = 0; i < cuts.length - 1; i++) {
    for (let j = i + 1; j < cuts.length; j++) {
      const start = cuts[i] ?? 0;
      const end = cuts[j] ?? 0;
      if (end - start > limit) break;
      const hits = (prefix[j] ?? 0) - (prefix[i] ?? 0);
      if (hits > best.hits || (hits === best.hits && end - start > best.end - best.start)) best = { start, end, hits };
    }
  }
  if (best.hits < 0) best.end = Math.max(text.lastIndexOf(' ', limit), 1);
  // Trim the joining whitespace and dangling separators so the fragment reads cleanly.
  let { start, end } = best;
  while (end > start && /[\s,;:–—-]/.test(text[end - 1] ?? '')) end--;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  return { start, end };
}
