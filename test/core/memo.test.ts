import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/core/memo.js';

describe('boundedMemo', () => {
  it('computes a key once and returns the same result after', () => {
    const calls: string[] = [];
    const length = boundedMemo((key) => (calls.push(key), { n: key.length }), 10);
    const first = length('Dushanbe');
    expect(length('Dushanbe')).toBe(first);
    expect(calls).toEqual(['Dushanbe']);
  });

  it('never holds more than its maximum: when full it starts again', () => {
    const calls: string[] = [];
    const upper = boundedMemo((key) => (calls.push(key), key.toUpperCase()), 2);
    for (const key of ['a', 'b', 'c', 'a']) upper(key);
    // 'c' found it full and cleared it, so 'a' is computed again.
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('names an input by its key: another object with the same key gets the remembered result', () => {
    const calls: string[] = [];
    const quoteText = boundedMemo((q: { article: number; start: number; text: string }) => (calls.push(q.text), q.text.trim()), 10, (q) => `${q.article}:${q.start}`);
    expect(quoteText({ article: 1, start: 5, text: ' base ' })).toBe('base');
    expect(quoteText({ article: 1, start: 5, text: ' base ' })).toBe('base');
    expect(quoteText({ article: 2, start: 5, text: ' troops ' })).toBe('troops');
    expect(calls).toEqual([' base ', ' troops ']);
  });
});
