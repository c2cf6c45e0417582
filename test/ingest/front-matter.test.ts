import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/ingest/front-matter.js';
import { CorpusError } from '../../src/core/errors.js';

const valid = `---
title: "A “quoted” title"
outlet: ThePrint (Reuters)
date: 2025-10-09
byline: null
url: https://example.org/a
event: "October 2025 visit"
---
Body line one.

Body line two.
`;

describe('parseArticle', () => {
  it('reads metadata and keeps the body byte for byte', () => {
    const article = parseArticle({ id: 'a', text: valid });
    expect(article).toMatchObject({
      id: 'a',
      title: 'A “quoted” title',
      outlet: 'ThePrint (Reuters)',
      date: '2025-10-09',
      byline: null,
      url: 'https://example.org/a',
      event: 'October 2025 visit',
    });
    expect(article.body).toBe('Body line one.\n\nBody line two.\n');
  });

  it.each([
    ['no front matter', 'Just text', /missing front matter/],
    ['missing outlet', valid.replace(/^outlet:.*\n/m, ''), /needs a non-empty "outlet"/],
    ['a malformed date', valid.replace('2025-10-09', '9 Oct 2025'), /date must be a real day as YYYY-MM-DD/],
    ['an invented-looking url without scheme', valid.replace('https://example.org/a', 'example.org/a'), /url must start with http/],
    ['an empty body', '---\ntitle: T\noutlet: O\nevent: E\n---\n\n', /body is empty/],
    ['a line that is not key: value', valid.replace('byline: null', 'byline'), /line 5 is not "key: value"/],
  ])('rejects %s with a message naming the file', (_name, text, message) => {
    expect(() => parseArticle({ id: 'broken-article', text })).toThrow(CorpusError);
    expect(() => parseArticle({ id: 'broken-article', text })).toThrow(message);
    expect(() => parseArticle({ id: 'broken-article', text })).toThrow(/^broken-article\.md: /);
  });
});

describe('front-matter values that would break or mislead a reply are refused, naming the file, the key and the character', () => {
  it.each([
    ['a lone surrogate', 'title: "Putin \\ud83d in Dushanbe"', 'title', /a lone surrogate \(U\+D83D\)/],
    ['a right-to-left override', 'outlet: "\\u202eSRETUER"', 'outlet', /a bidirectional control \(U\+202E\)/],
    ['an isolate', 'event: "October \\u2067visit"', 'event', /a bidirectional control \(U\+2067\)/],
    ['a NUL', 'byline: "Staff\\u0000"', 'byline', /a control character \(U\+0000\)/],
    ['a zero-width space', 'title: "Putin\\u200burges trade"', 'title', /an invisible zero-width character \(U\+200B\)/],
  ])('%s', (_name, line, key, character) => {
    const text = valid.replace(new RegExp(`^${key}:.*$`, 'm'), line);
    expect(() => parseArticle({ id: 'a', text })).toThrow(CorpusError);
    expect(() => parseArticle({ id: 'a', text })).toThrow(new RegExp(`^a\\.md: .*front matter "${key}" holds .*`));
    expect(() => parseArticle({ id: 'a', text })).toThrow(character);
  });

  it('an emoji (a surrogate pair) and plain accents are fine', () => {
    const text = valid.replace(/^title:.*$/m, 'title: "Rahmon’s café \\ud83d\\ude00 talks"');
    expect(parseArticle({ id: 'a', text }).title).toBe('Rahmon’s café 😀 talks');
  });
});
