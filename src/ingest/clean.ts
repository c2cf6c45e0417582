import { isBylineLine, removePageClutter, splitPageLines, squash, TRAILING_REPORTING_CREDIT, wordCount } from './page-clutter.js';
import { INGEST } from '../core/settings.js';

/** A paragraph of article text kept for the index, with its place in the body. */
export interface Block {
  text: string;
  /** Offset of the first character in the article body. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

/** A line removed as publisher clutter, and the rule that removed it (for tests and audits). */
export interface Dropped {
  text: string;
  rule: string;
}

/**
 * Lines that, once the article has started, mean the rest of the page is publisher furniture:
 * comment forms, sales text, "more stories" lists, subscription appeals.
 */
const TAIL_MARKERS: Array<[string, RegExp]> = [
  ['comment-form', /^leave a reply$/i],
  ['about-us', /^about us$/i],
  ['related-list', /^(related reading|related articles?|read more|most popular|more stories)$/i],
  ['subscribe', /^subscribe to our .*$/i],
  ['follow-whatsapp', /^follow .* on (whatsapp|telegram|google news)\b.*$/i],
  ['support-journalism', /^support our journalism$/i],
  ['comments-disclaimer', /^the comments posted here are not from\b/i],
];

/** Whole lines that are page chrome wherever they appear. */
const LINE_RULES: Array<[string, RegExp]> = [
  ['page-chrome', /^(news|dismiss|back to top|most popular|follow us\s*:?|text size\s*:?|share|print|posted by|tags|•\s*tags|support our journalism)$/i],
  ['preferred-source', /^add as a preferred source on google$/i],
  ['tracker', /^(scorecardresearch|google-analytics|googletagmanager|doubleclick|chartbeat|comscore|quantserve|facebook pixel)$/i],
  ['url-only', /^https?:\/\/\S+$/i],
  // A bare weekday date at the top of a page is the page's date line, not a statement of the
  // article.
  ['dateline', /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday),\s+[a-z]+\s+\d{1,2},\s+\d{4}$/i],
  ['auto-generated-disclaimer', /^disclaimer:/i],
  ['comment-form', /^please enter your (comment|name)/i],
  ['sign-off', /^[A-Z]{2,5}$/],
];

/**
 * A wire dateline at the start of the lead paragraph: a place (up to five capitalised words,
 * maybe a date), maybe the agency in brackets, then a colon or a spaced dash: "Tajikistan: ",
 * "MOSCOW (Reuters) -", "DUSHANBE, Oct 9 (AP) — ". It says where the story was filed, not
 * what happened, so the lead's first quote starts after it. A hyphen inside a word
 * ("Russia-Central Asia") is not a separator.
 */
const LEAD_DATELINE = /^\p{Lu}[\p{L}’'.]*(?:,?\s+[\p{Lu}\p{N}][\p{L}\p{N}’'.]*){0,4}(?:\s*\([^()]{2,30}\)\s*[-–—]|\s*:|\s+[-–—])\s*(?=\p{Lu})/u;

/** Words a paragraph needs to be the article's lead (a dateline is looked for in it). */
const LEAD_WORDS = INGEST.leadMinWords;

/** Text ends like a sentence: terminal punctuation, maybe inside closing quotes or brackets. */
const SENTENCE_END = /[.!?…:;][\s"'”’)\]]*$/;

/** A photo credit at the end of a caption: "(Photo: kremlin.ru)", "/ public domain". */
const PHOTO_CREDIT = /\s*(\(photo:[^)]*\)|\/\s*(public domain|reuters|afp|ap|getty images))\s*$/i;

/** A byline that names who published and when: "By bne IntelliNews October 10, 2025". */
const DATED_BYLINE = /^by\s+[^.]{2,80}?\s+[a-z]+\s+\d{1,2},\s+\d{4}$/i;

/**
 * Words of a caption that only says who is pictured, where and when ("Russian President Putin
 * with Tajikistan President Rahmon in Dushanbe yesterday"): besides names (capitalised) and
 * figures, only these. A caption that states something has other words in lower case ("workers
 * lay the last section of the deck").
 */
const CAPTION_GLUE = new Set(['with', 'and', 'in', 'at', 'on', 'of', 'the', 'a', 'an', 'during', 'after', 'before', 'from', 'to', 'for', 'near', 'outside', 'inside', 'yesterday', 'today', 'tonight', 'last', 'this', 'week', 'month', 'year', 'left', 'right', 'centre', 'center', 'l', 'r', 'c', 'с', 'и', 'в', 'во', 'на', 'вчера', 'сегодня']);

/**
 * Words a caption or unpunctuated line needs to count as content. Section headings ("Afghanistan
 * Security", "The Economy – Tajik Migrant Workers") and name-only captions ("Russian President
 * Vladimir Putin.") are shorter; captions that state something are longer (and say more than
 * who is pictured: see CAPTION_GLUE).
 */
const MIN_CAPTION_WORDS = INGEST.minCaptionWords;

/**
 * Splits an article body into the paragraphs worth indexing and drops publisher clutter.
 *
 * Rules live here, not in the corpus files, so an article an admin adds later gets the same
 * treatment. Headlines and section headings are not quotable facts: a short line without
 * sentence punctuation is dropped, as is any line that repeats the title (breadcrumbs
 * included). Photo captions are article content when they state something: they are kept
 * without their credit; a caption that only names who is pictured, where and when is not.
 * Credits and bylines say who wrote the report, which the sources already show (the front
 * matter's byline): they are not the article's statements, so they are not quoted.
 */
export function cleanArticle(options: { body: string; title: string }): { blocks: Block[]; dropped: Dropped[] } {
  const { body, title } = options;
  const blocks: Block[] = [];
  const dropped: Dropped[] = [];
  const titleKey = squash(title);
  const pageClutter = pageClutterLines(body);
  let offset = 0;
  let tail = false;
  let leadSeen = false;
  body.split('\n').forEach((rawLine, index) => {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const leading = rawLine.length - rawLine.trimStart().length;
    const text = rawLine.trim();
    if (text === '') return;
    if (tail) {
      dropped.push({ text, rule: 'after-tail-marker' });
      return;
    }
    const tailRule = TAIL_MARKERS.find(([, re]) => re.test(text));
    if (tailRule && blocks.length > 0) {
      tail = true;
      dropped.push({ text, rule: tailRule[0] });
      return;
    }
    const rule = ruleFor({ text, titleKey });
    if (rule) {
      dropped.push({ text, rule });
      return;
    }
    const page = pageClutter.get(index + 1);
    if (page) {
      dropped.push({ text, rule: `page: ${page}` });
      return;
    }
    // A caption keeps what it says and loses its credit; a paragraph loses the wire's credit
    // after its last sentence: neither credit is the article's text.
    let kept = text.replace(PHOTO_CREDIT, '');
    const credit = TRAILING_REPORTING_CREDIT.exec(kept);
    if (credit && credit.index > 0) {
      dropped.push({ text: credit[0].trim(), rule: 'reporting-credit' });
      kept = kept.slice(0, credit.index);
    }
    let start = lineStart + leading;
    if (!leadSeen && wordCount(kept) >= LEAD_WORDS) {
      leadSeen = true;
      const dateline = LEAD_DATELINE.exec(kept)?.[0];
      if (dateline) {
        dropped.push({ text: dateline.trim(), rule: 'dateline' });
        kept = kept.slice(dateline.length);
        start += dateline.length;
      }
    }
    blocks.push({ text: kept, start, end: start + kept.length });
  });
  return { blocks, dropped };
}

/**
 * The lines the generic page rules (page-clutter.ts, as `npm run add-article` applies them)
 * remove whole, by line number: menus, share bars, cookie and newsletter boxes, related
 * links, comment sections, footers. Credits at the end of a line are left to the rules here.
 */
function pageClutterLines(body: string): Map<number, string> {
  // Lone CRs become spaces, so the page's lines are the body's lines.
  const { removed } = removePageClutter({ lines: splitPageLines(body.replace(/\r/g, ' ')) });
  return new Map(removed.filter((r) => !r.reason.endsWith('cut from the end of its line')).map((r) => [r.line, r.reason]));
}

function ruleFor(options: { text: string; titleKey: string }): string | undefined {
  const { text, titleKey } = options;
  const named = LINE_RULES.find(([, re]) => re.test(text));
  if (named) return named[0];
  const caption = text.replace(PHOTO_CREDIT, '');
  const key = squash(caption);
  // The headline again, or a breadcrumb ending with it ("HomeWorld<headline>").
  if (titleKey !== '' && key.endsWith(titleKey) && titleKey.length * 2 >= key.length) return 'title-repeat';
  if (TAIL_MARKERS.some(([, re]) => re.test(text))) return 'page-chrome';
  if (DATED_BYLINE.test(text) || isBylineLine(text)) return 'byline';
  const words = wordCount(caption);
  if (caption !== text && words < MIN_CAPTION_WORDS) return 'photo-credit';
  if (SENTENCE_END.test(caption)) return undefined;
  if (words < MIN_CAPTION_WORDS) return 'heading';
  if (namesWhoIsPictured(caption)) return 'name-caption';
  return undefined;
}

/** An unpunctuated caption that only names who is pictured, where and when (see CAPTION_GLUE). */
function namesWhoIsPictured(text: string): boolean {
  return text
    .split(/[\s,()]+/)
    .filter((w) => /\p{L}/u.test(w))
    .every((w) => !/^\p{Ll}/u.test(w) || CAPTION_GLUE.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')));
}
