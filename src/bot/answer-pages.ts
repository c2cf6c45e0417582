import type { Answer } from '../core/types.js';
import { CONVERSATION } from '../core/settings.js';

/** How long a computed answer stays for its "More sources" pages, and how many are kept. */
export const ANSWER_PAGES = CONVERSATION.pages;

/** Where a page of an answer was sent. */
export interface PageKey {
  chat: number;
  message: number;
}

/**
 * The answers behind the pages the bot sent, by page message, so that "More sources" pages
 * through the answer the reader saw (the same quotes, in the same order, even after the index
 * was rebuilt) instead of answering again. In memory, for a while: after a restart, or on
 * another replica, More sources answers the question again.
 */
export interface AnswerPages {
  keep(key: PageKey, answer: Answer): void;
  get(key: PageKey): Answer | undefined;
}

export function createAnswerPages(options: { ttlMs?: number; maxAnswers?: number; now?: () => number } = {}): AnswerPages {
  const { ttlMs = ANSWER_PAGES.ttlMs, maxAnswers = ANSWER_PAGES.maxAnswers, now = Date.now } = options;
  const kept = new Map<string, { answer: Answer; at: number }>();
  const keyOf = (key: PageKey): string => `${key.chat}:${key.message}`;
  return {
    keep(key, answer) {
      const id = keyOf(key);
      kept.delete(id);
      kept.set(id, { answer, at: now() });
      // The oldest first: Map keeps insertion order.
      for (const [old] of kept) {
        if (kept.size <= maxAnswers) break;
        kept.delete(old);
      }
    },
    get(key) {
      const id = keyOf(key);
      const entry = kept.get(id);
      if (!entry) return undefined;
      if (now() - entry.at > ttlMs) {
        kept.delete(id);
        return undefined;
      }
      return entry.answer;
    },
  };
}
