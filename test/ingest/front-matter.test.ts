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
