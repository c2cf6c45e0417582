import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../src/ingest/clean.js';
import { parseArticle } from '../../src/ingest/front-matter.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const TITLE = 'Putin urges Central Asian states to step up trade with Russia';
const FACT = 'Putin said trade reached over $45 billion last year.';

/** An article of one fact surrounded by one clutter line. */
function withClutter(line: string, where: 'before' | 'after'): string {
  return where === 'before' ? `${line}\n\n${FACT}\n` : `${FACT}\n\n${line}\n\nMore text that follows the clutter.\n`;
}

describe('cleanArticle drops publisher clutter', () => {
  it.each([
    ['tracker name', 'scorecardresearch', 'before', 'tracker'],
    ['preferred-source nag', 'Add as a preferred source on Google', 'before', 'preferred-source'],
    ['dateline', 'Thursday, October 9, 2025', 'before', 'dateline'],
    ['support blurb at top', 'Support Our Journalism', 'before', 'page-chrome'],
    ['breadcrumb with the title', `HomeWorld${TITLE}`, 'before', 'title-repeat'],
    ['repeated headline', TITLE, 'before', 'title-repeat'],
    ['follow us', 'Follow Us :', 'before', 'page-chrome'],
    ['name-only caption with credit', 'Russian President Vladimir Putin. (Photo: kremlin.ru)', 'before', 'photo-credit'],
    ['name-only caption with public-domain credit', 'Putin and Rahmon. / public domain', 'before', 'photo-credit'],
    ['section heading', 'The Economy – Tajik Migrant Workers', 'before', 'heading'],
    ['caption repeating the headline', `${TITLE} / public domain`, 'before', 'title-repeat'],
    ['posted by', 'Posted by', 'before', 'page-chrome'],
    ['dismiss button', 'Dismiss', 'after', 'page-chrome'],
    ['back to top', 'Back to top', 'after', 'page-chrome'],
    ['sign-off', 'NDO', 'after', 'sign-off'],
    ['auto-generated disclaimer', 'Disclaimer: This report is auto generated from the Reuters news service.', 'after', 'auto-generated-disclaimer'],
    ['bare url', 'https://whatsapp.com/channel/0029Vaz4fX77oQhU1lSymM1w', 'after', 'url-only'],
  ] as const)('%s', (_name, line, where, rule) => {
    const body = withClutter(line, where);
    const { blocks, dropped } = cleanArticle({ body, title: TITLE });
    expect(blocks.map((b) => b.text)).not.toContain(line);
    expect(dropped).toContainEqual({ text: line, rule });
    expect(blocks.map((b) => b.text)).toContain(FACT);
  });

  it.each([
    ['comment form', 'LEAVE A REPLY', 'comment-form'],
    ['advisory firm sales text', 'About Us', 'about-us'],
    ['most popular list', 'Most Popular', 'related-list'],
    ['related reading list', 'Related Reading', 'related-list'],
    ['subscription appeal', 'Subscribe to our channels on YouTube, Telegram & WhatsApp', 'subscribe'],
    ['whatsapp follow', 'Follow the CNewsLive English Readers channel on WhatsApp:', 'follow-whatsapp'],
    ['support appeal after the story', 'Support Our Journalism', 'support-journalism'],
  ])('%s ends the article: it and everything after it are dropped', (_name, marker, rule) => {
    const body = `${FACT}\n\n${marker}\n\nWe can help, for example, Russian companies develop operations.\n`;
    const { blocks, dropped } = cleanArticle({ body, title: TITLE });
    expect(blocks.map((b) => b.text)).toEqual([FACT]);
    expect(dropped[0]).toEqual({ text: marker, rule });
    expect(dropped[1]?.rule).toBe('after-tail-marker');
  });

  it.each([
    ['a caption that states something, without its credit', 'Putin with Rahmon. The leader will leave Dushanbe on October 10. / public domain', 'Putin with Rahmon. The leader will leave Dushanbe on October 10.'],
    ['an unpunctuated caption that states something', 'Workers lay the last section of the railway bridge near Kulob on Thursday', 'Workers lay the last section of the railway bridge near Kulob on Thursday'],
  ])('keeps %s', (_name, line, kept) => {
    const body = `${line}\n\n${FACT}\n`;
    const { blocks } = cleanArticle({ body, title: TITLE });
    expect(blocks.map((b) => b.text)).toEqual([kept, FACT]);
    expect(body.slice(blocks[0]?.start, blocks[0]?.end)).toBe(kept);
  });

  // None of these is a statement of the article: a caption that answered "When did Putin
  // arrive?" with "yesterday", and credits quoted as if they were news.
  it.each([
    ['a caption that only names who is pictured, where and when', 'Russian President Putin with Tajikistan President Rahmon in Dushanbe yesterday', 'name-caption'],
    ['a byline that dates the article', 'By bne IntelliNews October 10, 2025', 'byline'],
    ['a byline with the outlet and date', 'By Ana Ruiz and Tom Hale, Valley Herald | 10 Oct 2025', 'byline'],
    ['a bracketed reporting credit', '(Reporting by Reuters; writing by Mark Trevelyan; editing by Mark Heinrich)', 'page: reporting credit'],
  ])('drops %s', (_name, line, rule) => {
    const { blocks, dropped } = cleanArticle({ body: `${line}\n\n${FACT}\n`, title: TITLE });
    expect(blocks.map((b) => b.text)).toEqual([FACT]);
    expect(dropped).toEqual([{ text: line, rule }]);
  });

  it("cuts the wire's credit off the end of the last paragraph, offsets intact", () => {
    const credit = '(Reporting by Ana Ruiz; Editing by Tom Hale)';
    const body = `${FACT}\n\nThe minister will visit Kulob next week, his office said. ${credit}\n`;
    const { blocks, dropped } = cleanArticle({ body, title: TITLE });
    expect(blocks.map((b) => b.text)).toEqual([FACT, 'The minister will visit Kulob next week, his office said.']);
    for (const block of blocks) expect(body.slice(block.start, block.end)).toBe(block.text);
    expect(dropped).toEqual([{ text: credit, rule: 'reporting-credit' }]);
  });

  it('drops the clutter the generic page rules know (as add-article does), whoever wrote the file', () => {
    const clutter = ['Share: Telegram VK WhatsApp', '1 523 views', 'We use cookies to improve your experience. By continuing you agree to our privacy policy.', 'Accept', 'Tags: trade, Russia, Tajikistan'];
    const body = `${FACT}\n\n${clutter.slice(0, 2).join('\n')}\n\nSecond fact is here, said the minister.\n\n${clutter.slice(2).join('\n')}\n`;
    const { blocks, dropped } = cleanArticle({ body, title: TITLE });
    expect(blocks.map((b) => b.text)).toEqual([FACT, 'Second fact is here, said the minister.']);
    for (const line of clutter) expect(dropped.some((d) => d.text === line), line).toBe(true);
    // A cookie notice reads like a sentence: only the page rules know it.
    expect(dropped.find((d) => d.text === clutter[2])?.rule).toMatch(/^page: cookie/);
    for (const block of blocks) expect(body.slice(block.start, block.end)).toBe(block.text);
  });

  it.each([
    ['a place and a colon', 'Tajikistan: ', 'Tajikistan:'],
    ['a wire dateline with the agency', 'MOSCOW (Reuters) -', 'MOSCOW (Reuters) -'],
    ['a dateline with a date and a spaced dash', 'DUSHANBE, Oct 9 (AP) — ', 'DUSHANBE, Oct 9 (AP) —'],
    ['a place and a spaced dash', 'RIGA, June 13 – ', 'RIGA, June 13 –'],
  ])('a lead starting with %s is quoted from its first word after the dateline', (_name, dateline, droppedText) => {
    const lead = 'Russian President Vladimir Putin on Thursday called on the five Central Asian nations to increase their trade with Russia.';
    const body = `${TITLE}\n\n${dateline}${lead}\n\n${FACT}\n`;
    const { blocks, dropped } = cleanArticle({ body, title: TITLE });
    expect(blocks.map((b) => b.text)).toEqual([lead, FACT]);
    expect(body.slice(blocks[0]?.start, blocks[0]?.end)).toBe(lead);
    expect(dropped).toContainEqual({ text: droppedText, rule: 'dateline' });
  });

  it.each([
    ['a hyphenated name', 'Russia-Central Asia summit leaders on Thursday agreed to expand trade, transport and energy links across the region.'],
    ['a speaker before a colon after the lead', null],
  ])('keeps a paragraph whole when it only looks like a dateline: %s', (_name, text) => {
    const lead = 'Putin on Thursday called on the five Central Asian nations to increase their trade with Russia this year.';
    const later = 'Analysts: the region is drifting away from Moscow towards China, Turkey and the Gulf states.';
    const body = text ? `${text}\n` : `${lead}\n\n${later}\n`;
    const { blocks } = cleanArticle({ body, title: TITLE });
    expect(blocks.map((b) => b.text)).toEqual(text ? [text] : [lead, later]);
  });

  it('block offsets point at the exact characters of the body', () => {
    const body = `  Header line\n\n   ${FACT}  \n\nSecond fact is here.\n`;
    const { blocks } = cleanArticle({ body, title: 'Other' });
    for (const block of blocks) expect(body.slice(block.start, block.end)).toBe(block.text);
  });
});

describe('the real corpus after cleaning', async () => {
  const names = (await readdir(SEED_CORPUS)).filter((n) => n.endsWith('.md'));
  const articles = await Promise.all(
    names.map(async (n) => parseArticle({ id: n.replace(/\.md$/, ''), text: await readFile(join(SEED_CORPUS, n), 'utf8') })),
  );
  const clutter = [
    /support our journalism/i, /leave a reply/i, /on whatsapp/i, /most popular/i, /^dismiss$/i, /back to top/i,
    /scorecardresearch/i, /about us/i, /we do not entertain business/i, /paid subscription/i, /please enter your/i,
    /preferred source/i, /^ndo$/i, /comments posted here/i, /\(photo:/i, /public domain/i,
  ];

  it.each(articles.map((a) => [a.id, a] as const))('%s keeps no clutter and every kept line verbatim', (_id, article) => {
    const { blocks } = cleanArticle({ body: article.body, title: article.title });
    expect(blocks.length).toBeGreaterThan(3);
    for (const block of blocks) {
      expect(article.body.slice(block.start, block.end)).toBe(block.text);
      for (const pattern of clutter) expect(block.text).not.toMatch(pattern);
    }
  });
});
