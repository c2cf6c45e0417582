import { describe, expect, it } from 'vitest';
import type { EngineInfo, Snippet } from '../../src/core/types.js';
import { parseArticle } from '../../src/ingest/front-matter.js';
import { truncateText } from '../../src/render/html.js';
import { parseTelegramHtml } from '../../tools/telegram/html-checker.js';
import { answered, createHarness, fakeEngine, fixedEngines, snippet, source } from '../support/bot-harness.js';

/**
 * Valid text of about `length` UTF-16 units whose unit at `at` (and after) starts an emoji, so a
 * cut at a fixed offset there splits a surrogate pair.
 */
const emojiAt = (prefix: string, at: number, length: number) => {
  let text = prefix.padEnd(at, '·');
  while (text.length < length) text += '😀👍🏽🇷🇺';
  return text;
};

/** What 65 articles with long, emoji-laden labels look like to the bot. */
const CROWDED: EngineInfo = {
  about: { description: { en: 'the news coverage of Putin’s visits to Dushanbe' }, topics: { en: 'trade, security, migration, the summit and the people involved' }, examples: { en: ["How much was Russia's trade with the five Central Asian states last year?"] } }, modelId: 'test-model',
  dimensions: 8,
  builtAt: '2026-01-02T03:04:05.000Z',
  articles: 65,
  chunks: 900,
  sources: Array.from({ length: 65 }, (_, i) => ({
    ...source({
      id: `a${i}`,
      title: emojiAt(`Article ${i} about the summit`, 199, 260),
      outlet: emojiAt(`Outlet ${i}`, 99, 140),
      date: i % 2 === 0 ? null : '2025-10-09',
      url: i % 3 === 0 ? null : `https://example.com/${i}`,
    }),
    event: emojiAt(`Event label number ${i} of the coverage in Dushanbe, 2025`, 59, 61),
  })),
};

const crowdedSnippet = (i: number): Snippet =>
  snippet({
    quote: emojiAt(`Quote ${i}`, 399, 420),
    source: { ...(CROWDED.sources[i] ?? source()) },
    event: CROWDED.sources[i]?.event ?? '',
    corroboratedBy: CROWDED.sources.slice(i + 1, i + 30).map((s, k) => ({ source: s, quote: emojiAt(`Other ${k}`, 149, 400), differs: k % 2 === 0 })),
  });

function expectValid(texts: string[]): void {
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) expect(parseTelegramHtml(text).errors, text.slice(0, 200)).toEqual([]);
}

describe('#9 front matter Telegram cannot display', () => {
  it.each(['/start', '/help', '/sources', '/about'])('%s fits and is valid with 65 long, emoji-laden labels', async (command) => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(() => answered([crowdedSnippet(0)]), CROWDED)) });
    await h.privateText(command);
    expectValid(h.texts());
  });

  it('a "not covered" reply fits and is valid, and still names the events it covers', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine((q) => ({ question: q, answered: false, snippets: [], events: [], reason: 'not-covered' }), CROWDED)) });
    await h.privateText('What is the weather on Mars?');
    expectValid(h.texts());
    expect(h.texts()[0]).toContain('Event label number 0');
    expect(h.texts()[0]).toContain('and 62 more (see /sources)');
  });

  it('answers, "More sources" pages and inline results with such sources fit and are valid', async () => {
    const snippets = [0, 1, 2, 3, 4, 5].map(crowdedSnippet);
    const h = createHarness({ engines: fixedEngines(fakeEngine(() => answered(snippets), CROWDED)) });
    const asked = await h.privateText('How much trade?');
    const answer = h.sent().at(-1);
    await h.callback('more:3', { message_id: 9999, date: 0, chat: { id: 1001, type: 'private', first_name: 'Ann' }, text: 'x', reply_to_message: asked });
    await h.inline('How much trade?');
    expectValid([String(answer?.payload.text), ...h.sent('editMessageText').map((c) => String(c.payload.text))]);
    const results = (h.sent('answerInlineQuery')[0]?.payload.results ?? []) as Array<{ title: string; description: string; input_message_content: { message_text: string } }>;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expectValid([r.input_message_content.message_text]);
      for (const plain of [r.title, r.description]) expect(plain).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it.each([
    { text: 'ab😀cd', max: 3, expected: 'ab…' },
    { text: 'a🇷🇺b', max: 3, expected: 'a…' },
    { text: 'a👍🏽b', max: 4, expected: 'a…' },
    { text: 'short', max: 5, expected: 'short' },
  ])('cuts $text at $max at a grapheme boundary: $expected', ({ text, max, expected }) => {
    expect(truncateText(text, max)).toBe(expected);
  });

  it('refuses at build time an event label over 60 characters and an outlet over 80', () => {
    const text = `---\ntitle: T\noutlet: ${'O'.repeat(81)}\nevent: ${'E'.repeat(61)}\n---\nBody.\n`;
    expect(() => parseArticle({ id: 'long', text })).toThrow(
      'long.md: front matter "outlet" is 81 characters long; at most 80; front matter "event" is 61 characters long; at most 60',
    );
  });
});
