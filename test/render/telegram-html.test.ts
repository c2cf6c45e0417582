import { describe, expect, it } from 'vitest';
import { renderAnswerPage, renderNotCovered } from '../../src/render/answer-html.js';
import { TELEGRAM_MESSAGE_LIMIT, escapeAttribute, escapeHtml, formatDate, splitIntoMessages } from '../../src/render/html.js';
import { renderAbout, renderHelp, renderSources } from '../../src/render/pages-html.js';
import { renderSnippetMessage, renderSourceLine } from '../../src/render/snippet-html.js';
import { ABOUT, INFO, VOICE_EN, answered, snippet, source, tagsBalanced } from '../support/bot-harness.js';

const voice = VOICE_EN;

describe('escaping', () => {
  it.each([
    ['<b>bold</b>', '&lt;b&gt;bold&lt;/b&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['&amp; already', '&amp;amp; already'],
    ['"quoted"', '"quoted"'],
  ])('escapeHtml(%j) = %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('escapes double quotes in attributes', () => {
    expect(escapeAttribute('https://x.test/?a="1"&b=<2>')).toBe('https://x.test/?a=&quot;1&quot;&amp;b=&lt;2&gt;');
  });
});

describe('source line', () => {
  it.each([
    {
      name: 'dated, with url',
      src: source(),
      event: 'October 2025 visit',
      expected: '— <b>ThePrint (Reuters)</b>, 9 October 2025: <a href="https://example.com/a1">“Putin urges trade”</a>',
    },
    {
      name: 'undated, no url: the event instead of a date and no link',
      src: source({ date: null, url: null }),
      event: 'October 2025 visit',
      expected: '— <b>ThePrint (Reuters)</b>, undated, October 2025 visit: “Putin urges trade”',
    },
    {
      name: 'article text escaped everywhere',
      src: source({ outlet: 'A&B <News>', title: 'Trade <up> & "away"', url: 'https://x.test/?q="a"&b' }),
      event: 'October 2025 visit',
      expected: '— <b>A&amp;B &lt;News&gt;</b>, 9 October 2025: <a href="https://x.test/?q=&quot;a&quot;&amp;b">“Trade &lt;up&gt; &amp; "away"”</a>',
    },
    {
      name: 'a url that is not http(s) is not linked',
      src: source({ url: 'javascript:alert(1)' }),
      event: 'October 2025 visit',
      expected: '— <b>ThePrint (Reuters)</b>, 9 October 2025: “Putin urges trade”',
    },
  ])('$name', ({ src, event, expected }) => {
    expect(renderSourceLine({ source: src, event, voice })).toBe(expected);
  });

  it.each([
    ['2025-10-09', '9 October 2025'],
    ['2022-06-28', '28 June 2022'],
    ['sometime', 'sometime'],
  ])('formatDate(%s) = %s', (iso, expected) => {
    expect(formatDate(iso)).toBe(expected);
  });

  it('writes dates in the reader\'s language', () => {
    expect(formatDate('2025-10-09', 'ru')).toBe('9 октября 2025 г.');
  });
});

const other = source({ id: 'b2', outlet: 'bne IntelliNews', url: null, date: '2025-10-10' });
const third = source({ id: 'c3', outlet: 'Nhan Dan', url: 'https://nd.test/x', date: '2025-10-11' });

describe('answer page', () => {
  it.each([
    {
      name: 'one quote as a blockquote followed by its source',
      snippets: [snippet()],
      contains: ['<blockquote>Trade reached $45bn last year.</blockquote>\n— <b>ThePrint (Reuters)</b>, 9 October 2025'],
      excludes: ['Note:', 'Also reported'],
    },
    {
      name: 'one short line names every other outlet with its date, not their sentences',
      snippets: [snippet({ corroboratedBy: [{ source: other, quote: 'Trade was $45bn.', differs: false }, { source: { ...third, date: null }, quote: 'x', differs: false }] })],
      contains: ['Also reported by bne IntelliNews, 10 October 2025 · <a href="https://nd.test/x">Nhan Dan</a>, undated.'],
      excludes: ['Trade was $45bn.', 'differently', 'expandable'],
    },
    {
      name: 'differing figures: only the differing phrases, the full wordings folded away',
      snippets: [snippet({ corroboratedBy: [{ source: other, quote: 'Trade was over $40 billion & rising.', differs: true }] })],
      contains: [
        'Also reported by bne IntelliNews, 10 October 2025.',
        'The outlets give the figure differently: “$45bn” (ThePrint (Reuters)) · “over $40 billion” (bne IntelliNews).',
        '<blockquote expandable>Their full wordings:\n<b>bne IntelliNews</b>: “Trade was over $40 billion &amp; rising.”</blockquote>',
      ],
      excludes: ['puts it differently'],
    },
    {
      name: 'a lead line when quotes come from different events, and each source names its event',
      snippets: [snippet(), snippet({ source: other, event: 'June 2022 visit', quote: 'In 2022 trade grew.' })],
      contains: ['<i>Note: these quotes come from different events (October 2025 visit; June 2022 visit).</i>', '· June 2022 visit', '· October 2025 visit'],
      excludes: [],
    },
    {
      name: 'quote text escaped',
      snippets: [snippet({ quote: 'He said <b>"trade"</b> & more' })],
      contains: ['<blockquote>He said &lt;b&gt;"trade"&lt;/b&gt; &amp; more</blockquote>'],
      excludes: ['<b>"trade"'],
    },
  ])('$name', ({ snippets, contains, excludes }) => {
    const page = renderAnswerPage(answered(snippets), { voice });
    for (const part of contains) expect(page.text).toContain(part);
    for (const part of excludes) expect(page.text).not.toContain(part);
    expect(tagsBalanced(page.text)).toBe(true);
  });

  it('pages through every snippet exactly once, with a header after the first page', () => {
    const snippets = Array.from({ length: 7 }, (_, i) => snippet({ quote: `Quote number ${i}.` }));
    const seen: string[] = [];
    let offset: number | undefined = 0;
    const headers: string[] = [];
    while (offset !== undefined) {
      const page = renderAnswerPage(answered(snippets), { offset, pageSize: 3, voice });
      seen.push(...[...page.text.matchAll(/Quote number (\d)/g)].map((m) => m[1] ?? ''));
      headers.push(page.text.split('\n')[0] ?? '');
      offset = page.nextOffset;
    }
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(headers.slice(1)).toEqual(['<b>More sources (4–6 of 7)</b>', '<b>More sources (7 of 7)</b>']);
  });

  it('keeps every page under the Telegram limit by moving whole snippets to the next page', () => {
    const long = 'Trade & <security> “talks” '.repeat(15).slice(0, 400);
    const differs = Array.from({ length: 6 }, (_, i) => ({ source: source({ id: `d${i}`, outlet: `Outlet ${i} & Co` }), quote: long, differs: true }));
    const snippets = Array.from({ length: 9 }, () => snippet({ quote: long, corroboratedBy: differs }));
    let offset: number | undefined = 0;
    let pages = 0;
    let shown = 0;
    while (offset !== undefined) {
      const page = renderAnswerPage(answered(snippets), { offset, pageSize: 3, maxChars: 1500, voice });
      expect(page.text.length).toBeLessThanOrEqual(1500);
      expect(tagsBalanced(page.text)).toBe(true);
      shown += page.shown;
      pages++;
      offset = page.nextOffset;
    }
    expect(shown).toBe(9);
    expect(pages).toBeGreaterThan(3);
  });

  it('keeps a snippet with forty differing outlets under the limit, naming eight and counting the rest', () => {
    const long = 'Trade was over $40 billion & '.repeat(14);
    const differs = Array.from({ length: 40 }, (_, i) => ({ source: source({ id: `d${i}`, outlet: `Outlet ${i}` }), quote: long, differs: true }));
    const text = renderSnippetMessage(snippet({ quote: long, corroboratedBy: differs }), { voice });
    expect(text.length).toBeLessThan(TELEGRAM_MESSAGE_LIMIT);
    expect(tagsBalanced(text)).toBe(true);
    expect(text).toContain('Outlet 7</a>, 9 October 2025 and 32 more.');
    // Every outlet writes the figure as the quote does, so no "differently" line.
    expect(text).not.toContain('differently');
  });

  it('names each differing way of writing a figure once, with the outlets that write it so', () => {
    const phrases = ['around $45bn', 'over $45 billion', 'around $45bn', 'over $44 billion'];
    const differs = phrases.map((p, i) => ({ source: source({ id: `d${i}`, outlet: `Outlet ${i}` }), quote: `Trade was ${p} last year.`, differs: true }));
    const text = renderSnippetMessage(snippet({ quote: 'Trade was over $45 billion last year.', corroboratedBy: differs }), { voice });
    expect(text).toContain('The outlets give the figure differently: “over $45 billion” (ThePrint (Reuters), Outlet 1) · “around $45bn” (Outlet 0, Outlet 2) · “over $44 billion” (Outlet 3).');
    expect(text).toContain('<blockquote expandable>Their full wordings:');
  });

  it('the mixed-events note is left out when the question named a year', () => {
    const snippets = [snippet(), snippet({ source: other, event: 'June 2022 visit', quote: 'In 2022 trade grew.' })];
    expect(renderAnswerPage({ ...answered(snippets), question: 'trade in 2022?' }, { voice }).text).not.toContain('Note:');
  });

  it('renders the friendly not-covered reply for a declined answer', () => {
    const page = renderAnswerPage({ question: 'weather?', answered: false, snippets: [], events: [], reason: 'not-covered' }, { voice });
    expect(page.shown).toBe(0);
    expect(page.text).toContain('don’t cover that');
  });
});

describe('not covered', () => {
  it.each([
    { reason: 'not-covered' as const, events: ['October 2025 visit'], contains: ['don’t cover that', '(October 2025 visit)', 'Try, for example', '/help'] },
    { reason: 'empty' as const, events: [], contains: ['Please ask a question in words'] },
  ])('$reason', ({ reason, events, contains }) => {
    const text = renderNotCovered({ info: { about: ABOUT, sources: events.map((event) => ({ ...source(), event })) }, reason, voice });
    for (const part of contains) expect(text).toContain(part);
    expect(tagsBalanced(text)).toBe(true);
  });
});

describe('command texts', () => {
  it('help names the events, how to ask in groups and inline, and example questions', () => {
    const text = renderHelp({ info: INFO, username: 'QuotesTestBot', voice });
    for (const part of ['October 2025 visit; June 2022 visit', '/ask your question', '@QuotesTestBot', 'Examples', 'Who founded BTK Group?']) {
      expect(text).toContain(part);
    }
    expect(tagsBalanced(text)).toBe(true);
  });

  it('help has no empty examples section when the corpus gives no example questions', () => {
    const text = renderHelp({ info: { ...INFO, about: { ...INFO.about, examples: {} } }, username: 'QuotesTestBot', voice });
    expect(text).not.toContain('Examples');
    expect(text).toContain('/sources');
  });

  it('sources lists each article with outlet, date or event, and escaped title', () => {
    const [text, ...rest] = renderSources({ info: INFO, voice });
    expect(rest).toEqual([]);
    expect(text).toContain('<b>ThePrint (Reuters)</b>, 9 October 2025: <a href="https://example.com/a1">“Putin urges trade”</a>');
    expect(text).toContain('<b>bne IntelliNews</b>, undated, June 2022 visit: “Central Asia &lt;tour&gt; &amp; more”');
  });

  it('sources split into several messages under the limit when the corpus is large', () => {
    const sources = Array.from({ length: 120 }, (_, i) => ({ ...source({ id: `s${i}`, title: `A rather long article title number ${i} about <trade> & security`, url: `https://example.com/${i}` }), event: i % 2 ? 'June 2022 visit' : 'October 2025 visit' }));
    const messages = renderSources({ info: { sources }, voice });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.length).toBeLessThan(TELEGRAM_MESSAGE_LIMIT);
      expect(tagsBalanced(m)).toBe(true);
    }
    expect(messages.join('\n').match(/<a href/g)).toHaveLength(120);
  });

  it('about names the model, build time and counts', () => {
    expect(renderAbout({ info: INFO, voice })).toBe(
      [
        '<b>About this bot</b>',
        'Embedding model: <code>test-model</code> (8 dimensions)',
        'Index built: 2026-01-02 03:04 UTC',
        'Articles: 2; passages (chunks): 7',
        '',
        'Every quote is copied word for word from its article; I never paraphrase.',
      ].join('\n'),
    );
  });
});

describe('splitIntoMessages', () => {
  it.each([
    { name: 'fits in one', blocks: ['<b>a</b>', 'b'], max: 100, expected: ['<b>a</b>\nb'] },
    { name: 'splits between blocks', blocks: ['<b>aaaa</b>', '<i>bbbb</i>'], max: 15, expected: ['<b>aaaa</b>', '<i>bbbb</i>'] },
    { name: 'an oversized block becomes shortened plain text', blocks: [`<b>${'z'.repeat(50)}</b>`], max: 20, expected: ['zzz…'] },
  ])('$name', ({ blocks, max, expected }) => {
    expect(splitIntoMessages({ blocks, maxChars: max })).toEqual(expected);
  });
});

