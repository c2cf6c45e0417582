import { describe, expect, it } from 'vitest';
import { createAnswerPages } from '../../src/bot/answer-pages.js';
import { answered, snippet } from '../support/bot-harness.js';

describe('the answers kept for their "More sources" pages', () => {
  const answer = (n: number) => answered([snippet({ quote: `Fact ${n}.` })], `q${n}`);

  it('gives back the answer of a page, per chat and message, until it expires', () => {
    let now = 0;
    const pages = createAnswerPages({ ttlMs: 1000, now: () => now });
    pages.keep({ chat: 1, message: 10 }, answer(1));
    expect(pages.get({ chat: 1, message: 10 })?.question).toBe('q1');
    expect(pages.get({ chat: 2, message: 10 })).toBeUndefined();
    now = 1001;
    expect(pages.get({ chat: 1, message: 10 })).toBeUndefined();
  });

  it('keeps at most maxAnswers, forgetting the oldest first', () => {
    const pages = createAnswerPages({ maxAnswers: 2 });
    for (let i = 1; i <= 3; i++) pages.keep({ chat: 1, message: i }, answer(i));
    expect(pages.get({ chat: 1, message: 1 })).toBeUndefined();
    expect(pages.get({ chat: 1, message: 2 })?.question).toBe('q2');
    expect(pages.get({ chat: 1, message: 3 })?.question).toBe('q3');
  });
});
