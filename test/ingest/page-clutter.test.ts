import { describe, expect, it } from 'vitest';
import { draftArticle } from '../../src/ingest/draft-article.js';
import { parseArticle } from '../../src/ingest/front-matter.js';
import { articleId, renderArticleFile, slugify } from '../../src/ingest/article-file.js';
import { isShareBar, removePageClutter, splitPageLines } from '../../src/ingest/page-clutter.js';
import { rawPages } from '../support/raw-pages.js';

const PARAGRAPH_A =
  'The regional council approved the budget for the new bridge on Tuesday, after a debate that lasted more than six hours and ended close to midnight.';
const PARAGRAPH_B =
  'Construction is expected to start in the spring and to take about three years, the council said, and traffic will be diverted over the old ferry route.';

/** A page of two article paragraphs with one line between them. */
function around(line: string): string {
  return `${PARAGRAPH_A}\n\n${line}\n\n${PARAGRAPH_B}\n`;
}

function clean(text: string) {
  return removePageClutter({ lines: splitPageLines(text), outlet: 'Valley Herald' });
}

describe('removePageClutter removes each kind of clutter, with its reason', () => {
  it.each([
    ['share bar', 'Share', 'share bar'],
    ['share bar with networks', 'Facebook | X | WhatsApp | Copy link', 'share bar'],
    ['share counts', 'Share 1.2K Tweet', 'share bar'],
    ['view counter', '1,234 views', 'view counter'],
    ['view label', 'Views: 3,512', 'view counter'],
    ['advertisement', 'Advertisement', 'advertisement'],
    ['advertisement notice', 'Story continues below advertisement', 'advertisement'],
    ['tags', 'Tags: bridge, council, budget', 'tags'],
    ['follow us', 'Follow us on Telegram', 'follow us'],
    ['follow a channel', 'Join our WhatsApp channel for breaking news', 'follow us'],
    ['single related link', 'Read also: Ferry fares to rise in January', 'link to another article'],
    ['arrowed related link', '► Read more: Why the old bridge failed', 'link to another article'],
    ['search box', 'Search for:', 'search box'],
    ['navigation', 'Skip to main content', 'navigation'],
    ['reading time', '5 min read', 'reading time'],
    ['timestamp', '2 hours ago', 'timestamp'],
    ['photo credit', 'Photo: Ana Ruiz/Valley Herald', 'photo credit'],
    ['photo credit by', 'Photo by Ana Ruiz', 'photo credit'],
    ['agency photo credit', '(AP Photo/Jan Novak)', 'photo credit'],
    ['agency name', 'Getty Images', 'photo credit'],
    ['page tool', 'Listen to this article', 'page tool'],
    ['a text size control', 'Text size A A', 'page tool'],
    ['feedback widget', 'Was this page helpful?', 'feedback widget'],
    ['site name', 'VALLEY HERALD', 'site name'],
    ['publisher disclaimer', 'Disclaimer: This report is generated automatically from a news agency feed.', 'publisher disclaimer'],
    ['one-line menu', 'Home | World | Sport | Business', 'menu'],
    ['breadcrumb', 'News › Region', 'breadcrumb'],
    ['comment counter', '12 comments', 'comment counter'],
  ])('%s: %s', (_name, line, reason) => {
    const { kept, removed } = clean(around(line));
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, PARAGRAPH_B]);
    expect(removed).toEqual([{ text: line, line: 3, reason }]);
  });

  it.each([
    ['cookie notice', 'We use cookies to improve your experience on our site.\nAccept all\nReject all\nManage preferences', 'cookie notice'],
    ['newsletter box', 'Subscribe to our newsletter\nGet the top stories in your inbox every morning.\nEmail address\nSign up', 'newsletter box'],
    ['support appeal', 'Support our journalism\nIndependent reporting costs money, and readers like you pay for most of it.\nBecome a member today\nDonate', 'support appeal'],
    ['"Read also" list', 'Read also\nFerry fares to rise in January\nWhy the old bridge failed', 'related links'],
    ['"More on this topic" list with times', 'More on this topic\nFerry fares to rise in January\n18:20\nWhy the old bridge failed\n17:55', 'related links'],
  ])('%s, as one block', (_name, block, reason) => {
    const { kept, removed } = clean(around(block));
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, PARAGRAPH_B]);
    expect(removed.map((r) => r.text)).toEqual(block.split('\n'));
    expect(new Set(removed.map((r) => r.reason))).toEqual(new Set([reason]));
    expect(new Set(removed.map((r) => r.block)).size).toBe(1);
  });

  it('a run of short capitalised lines is a menu; one short line between paragraphs is a subheading', () => {
    const menu = clean(`World\nEurope\nBusiness\nSport\n\n${around('What happens next')}`);
    expect(menu.removed.map((r) => [r.text, r.reason])).toEqual([['World', 'menu'], ['Europe', 'menu'], ['Business', 'menu'], ['Sport', 'menu']]);
    expect(menu.kept.map((l) => l.text)).toEqual([PARAGRAPH_A, 'What happens next', PARAGRAPH_B]);
  });

  it('a comment section after the article is removed to the end, comments and all', () => {
    const page = `${PARAGRAPH_A}\n\n${PARAGRAPH_B}\n\nLeave a comment\nAnna K.\nThis bridge will never be finished on time, mark my words and remember this comment.\nReply\n`;
    const { kept, removed } = clean(page);
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, PARAGRAPH_B]);
    expect(removed.every((r) => r.reason === 'comment section')).toBe(true);
    expect(removed).toHaveLength(4);
  });

  it('a copyright line ends the page only when the article does not go on after it', () => {
    const photo = clean(`${PARAGRAPH_A}\n\n${PARAGRAPH_B}\n\n© 2025 Reuters\n\n${PARAGRAPH_A}\n\n${PARAGRAPH_B}\n`);
    expect(photo.kept).toHaveLength(4);
    expect(photo.removed.map((r) => r.reason)).toEqual(['copyright line']);
    const footer = clean(`${PARAGRAPH_A}\n\n${PARAGRAPH_B}\n\n© 2025 Valley Herald Media. All rights reserved.\nValley Herald is published by Valley Media in the town of Kessel since 1921.\n`);
    expect(footer.kept).toHaveLength(2);
    expect(footer.removed.map((r) => r.reason)).toEqual(['footer', 'footer']);
  });

  it('a caption that states something keeps its text and loses its credit; a name-only caption goes whole', () => {
    const caption = 'Engineers open the first sluice gate of the dam on Thursday morning.';
    const { kept, removed } = clean(`${around(`${caption} Photo: Tomas Lind/Valley Herald`)}\nMayor Ana Ruiz. (Photo: Tomas Lind)\n`);
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, caption, PARAGRAPH_B]);
    expect(removed.map((r) => [r.text, r.reason])).toEqual([
      ['Photo: Tomas Lind/Valley Herald', 'photo credit, cut from the end of its line'],
      ['Mayor Ana Ruiz. (Photo: Tomas Lind)', 'photo caption that states nothing'],
    ]);
  });

  it('a reporting credit goes, on its own line or cut from the end of the last paragraph: the sources name the writers, the quotes do not', () => {
    const ending = `${PARAGRAPH_B} (Reporting by Ana Ruiz; Editing by Tom Hale)`;
    const { kept, removed } = clean(`${PARAGRAPH_A}\n\n${ending}\n\n(Additional reporting by Tom Hale)\n`);
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, PARAGRAPH_B]);
    expect(removed.map((r) => [r.text, r.reason])).toEqual([
      ['(Reporting by Ana Ruiz; Editing by Tom Hale)', 'reporting credit, cut from the end of its line'],
      ['(Additional reporting by Tom Hale)', 'reporting credit'],
    ]);
  });

  it('a sentence that mentions reporting in brackets is no credit', () => {
    const line = 'The council said the bridge was safe (reporting by engineers found no cracks) and reopened it on Friday morning.';
    const { kept, removed } = clean(around(line));
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, line, PARAGRAPH_B]);
    expect(removed).toEqual([]);
  });

  it.each([
    ['an article sentence about cookies', 'The bakery on Mill Street sold more than 2,000 cookies at the fair, its owner said, twice as many as last year.'],
    ['an article sentence about consent and cookies', 'The regulator said websites must obtain consent before setting cookies and fined three retailers on Monday.'],
    ['an article sentence that starts like a follow appeal', 'Like us, the neighbouring towns have waited for a bridge for decades, the mayor said.'],
    ['an article sentence about a newsletter', 'The council will publish a monthly newsletter about the works and deliver it to every household on the route.'],
    ['an article sentence about a photo', 'Photos taken by residents show the water reaching the windows of the ground floor.'],
    ['a subheading', 'The cost of waiting'],
    ['a caption that states something', 'Workers lay the last section of the deck on Thursday.'],
  ])('keeps %s', (_name, line) => {
    const { kept, removed } = clean(around(line));
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, line, PARAGRAPH_B]);
    expect(removed).toEqual([]);
  });

  it('keeps whitespace inside a paragraph as it is and trims only the ends of lines', () => {
    const odd = 'Prices rose by 4.1 %\u00a0in  September,\tthe statistics office said on Friday, the fastest rise since the spring.';
    const { kept } = clean(`  ${PARAGRAPH_A}  \r\n\r\n${odd}\t\r\n`);
    expect(kept.map((l) => l.text)).toEqual([PARAGRAPH_A, odd]);
  });

  it('share bars are share words only', () => {
    expect(isShareBar('Share this article')).toBe(true);
    expect(isShareBar('Email')).toBe(true);
    expect(isShareBar('Share prices rose')).toBe(false);
    expect(isShareBar('This article')).toBe(false);
  });
});

describe('each raw page fixture, cleaned', () => {
  it.each(rawPages().map((p) => [p.name, p] as const))('%s: the headline, date and byline are drafted, every paragraph kept verbatim, no clutter left', (_name, page) => {
    const { article, removed } = draftArticle({ text: page.text, outlet: page.expected.outlet, event: 'Test event' });
    expect(article.title).toBe(page.expected.title);
    expect(article.date).toBe(page.expected.date);
    expect(article.byline).toBe(page.expected.byline);
    expect(article.url).toBeNull();
    const body = article.body.trimEnd().split('\n\n');
    expect(body).toEqual(page.expected.body);
    // Every paragraph is a line of the page, character for character.
    for (const paragraph of body) expect(page.text.includes(paragraph)).toBe(true);
    for (const line of page.expected.clutter) {
      expect(body).not.toContain(line);
      // Credits were at the ends of lines: none is left there.
      expect(body.some((b) => b.endsWith(line)), line).toBe(false);
    }
    // Every line of the page is in the body, reported as removed, or a kept line and a cut credit.
    const removedTexts = removed.map((r) => r.text);
    for (const { text } of splitPageLines(page.text)) {
      const accounted = body.includes(text) || removedTexts.includes(text) || body.some((b) => text.startsWith(b) && removedTexts.some((r) => text.endsWith(r)));
      expect(accounted, text).toBe(true);
    }
    expect(parseArticle({ id: 'fixture', text: renderArticleFile(article) })).toMatchObject({ ...article, id: 'fixture' });
  });
});

describe('the byline of a page without a "By" line', () => {
  it("is taken from the wire's reporting credit, which leaves the body", () => {
    const page = rawPages().find((p) => p.name === 'wire-trade-fair');
    if (!page) throw new Error('fixture wire-trade-fair is missing');
    const text = page.text.replace('By Lena Okafor and Piotr Wal\n', '');
    const { article, notes } = draftArticle({ text, outlet: page.expected.outlet, event: 'Test event' });
    expect(article.byline).toBe('Reporting by Lena Okafor and Piotr Wal; Editing by Mark Steiner');
    expect(article.body).not.toContain('Reporting by');
    expect(notes.some((n) => n.startsWith('byline:') && n.includes('reporting credit'))).toBe(true);
  });
});

describe('article ids', () => {
  it.each([
    ['Valley Herald — Dam opens, at last!', 80, 'valley-herald-dam-opens-at-last'],
    ['Škoda’s new plant in Mladá Boleslav', 80, 'skodas-new-plant-in-mlada-boleslav'],
    ['Новая больница открылась', 80, 'novaya-bolnitsa-otkrylas'],
    ['Machine makers crowd Brno fair as orders start to recover', 30, 'machine-makers-crowd-brno-fair'],
  ])('slugify(%j, %i) is %j', (text, max, slug) => {
    expect(slugify(text, max)).toBe(slug);
  });

  it('outlet, year and headline, bounded, unique against the names taken', () => {
    const options = { outlet: 'Meridian Wire', title: 'Machine makers crowd Brno fair as orders start to recover after two weak years of falling sales', date: '2025-10-14' };
    const id = articleId({ ...options, taken: new Set() });
    expect(id).toMatch(/^meridian-wire-2025-machine-makers-crowd-brno-fair/);
    expect(id.length).toBeLessThanOrEqual(80);
    expect(id).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    expect(articleId({ ...options, taken: new Set([id]) })).toBe(`${id}-2`);
    expect(articleId({ ...options, taken: new Set([id, `${id}-2`]) })).toBe(`${id}-3`);
    expect(articleId({ outlet: 'Вести', title: '日本語のタイトル', date: null, taken: new Set() })).toBe('vesti');
  });
});
