import { InputError } from '../core/errors.js';
import { MAX_FIELD_CHARS, type Article } from './front-matter.js';
import { findDate, readDateLine, type DateLine } from './page-dates.js';
import { BYLINE, endsAsSentence, isBylineLine, isProse, removePageClutter, splitPageLines, squash, wordCount, type PageLine, type Removal } from './page-clutter.js';

/** The numbers that decide what is a headline and what reads as an article. */
export const DRAFT_SETTINGS = Object.freeze({
  /** A headline has several words… */
  minHeadlineWords: 4,
  /** …but is no paragraph. */
  maxHeadlineWords: 25,
  /** A headline followed within this many lines by a date line or byline is the article's. */
  headlineNearDateLines: 4,
  /** An article paragraph: a line of this many words that ends as a sentence. */
  articleParagraphMinWords: 20,
  /** A page with fewer article paragraphs than this holds no article. */
  minArticleParagraphs: 2,
});

/** What the admin gives; what is missing is drafted from the page. */
export interface DraftOptions {
  /** The page's text as a browser copies it. */
  text: string;
  outlet: string;
  event: string;
  title?: string;
  date?: string;
  byline?: string;
  url?: string;
}

/** A corpus article drafted from a page, what was removed, and where each field came from. */
export interface DraftedArticle {
  article: Omit<Article, 'id'>;
  removed: Removal[];
  /** One line per drafted field, for the admin to check ("date: 2025-10-09 (from …)"). */
  notes: string[];
}

/** Characters a front-matter value may not hold (front-matter.ts refuses them): dropped from drafted values. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/**
 * Drafts a corpus article from a pasted page: removes the clutter, finds the headline, the
 * date line and the byline, and keeps the headline, the byline and every article paragraph
 * verbatim, one paragraph per line with blank lines between. Lines above the headline are the
 * page's header; a date line is dropped once read (the date goes in the front matter); after
 * the last paragraph, lines that are no sentence are the footer.
 *
 * Throws InputError for an empty page, a page with no headline and no --title, or a page with
 * no article (fewer than two paragraphs of sentences of twenty words or more).
 */
export function draftArticle(options: DraftOptions): DraftedArticle {
  const { outlet, event } = options;
  const lines = splitPageLines(options.text);
  if (lines.length === 0) throw new InputError('the input is empty: paste the page text into the file (or pipe it to standard input with -)');
  const { kept, removed } = removePageClutter({ lines, outlet });
  const bylines = new Set(kept.flatMap((l, i) => (isBylineLine(l.text) ? [i] : [])));
  const dateLines = new Map(kept.flatMap((l, i) => {
    const read = bylines.has(i) ? undefined : readDateLine(l.text);
    return read ? [[i, read] as const] : [];
  }));
  // Only lines that are no article paragraphs are taken out from here on: the count holds.
  const paragraphs = kept.filter((l) => isArticleParagraph(l.text)).length;
  if (paragraphs < DRAFT_SETTINGS.minArticleParagraphs) {
    throw new InputError(
      `no article found: ${paragraphs === 0 ? 'no paragraph' : 'only one paragraph'} reads as article text (an article needs ${DRAFT_SETTINGS.minArticleParagraphs} paragraphs of ${DRAFT_SETTINGS.articleParagraphMinWords} or more words ending as sentences); is this the page's text?`,
    );
  }
  const first = kept.findIndex((l) => isArticleParagraph(l.text));
  const firstParagraph = first === -1 ? kept.length : first;
  const detected = findHeadline({ kept, outlet, bylines, dateLines, firstParagraph });
  const title = options.title ?? detected?.title;
  if (title === undefined) {
    throw new InputError('no headline found (a line of several words without a final full stop above the first paragraph); give the title with --title');
  }
  // The copy nearest the article is its headline; others (the tab's title, a repeat) go.
  const copies = kept.flatMap((l, i) => (sameHeadline({ a: l.text, b: title, outlet }) && i < Math.max(firstParagraph, 1) ? [i] : []));
  const headline = copies.at(-1) ?? detected?.index;
  const notes: string[] = [];
  notes.push(options.title !== undefined ? `title: ${JSON.stringify(title)} (from --title)` : `title: ${JSON.stringify(title)} (the page's headline, line ${kept[headline ?? 0]?.line})`);

  const structural = removeStructure({ kept, outlet, title, headline, bylines, dateLines });
  removed.push(...structural.removed);
  removed.sort((a, b) => a.line - b.line);
  const body = structural.kept;

  const date = options.date !== undefined ? { date: options.date, note: 'from --date' } : draftDate({ kept, bylines, dateLines, firstParagraph });
  notes.push(`date: ${date.date ?? 'null'} (${date.note})`);
  const byline = options.byline !== undefined ? { byline: options.byline, note: 'from --byline' } : draftByline({ kept, bylines, dateLines, firstParagraph, removed });
  notes.push(`byline: ${byline.byline === null ? 'null' : JSON.stringify(byline.byline)} (${byline.note})`);
  const url = options.url ?? null;
  notes.push(url === null ? 'url: null (the page does not say its address; give it with --url)' : 'url: from --url');
  return {
    article: { title: cleanValue(title, MAX_FIELD_CHARS.title), outlet, date: date.date, byline: byline.byline, url, event, body: `${body.map((l) => l.text).join('\n\n')}\n` },
    removed,
    notes,
  };
}

/** An article paragraph: a sentence of twenty words or more. */
export function isArticleParagraph(text: string): boolean {
  return endsAsSentence(text) && wordCount(text) >= DRAFT_SETTINGS.articleParagraphMinWords;
}

/**
 * The page's headline: among the lines above the first paragraph that read as one (several
 * words, no final full stop, not the site's name, a byline or a date line), the one the page
 * repeats (its tab title and its heading), else the last one just above the first date line or
 * byline (a site's tagline sits further up), else the first one.
 */
function findHeadline(options: { kept: readonly PageLine[]; outlet: string; bylines: ReadonlySet<number>; dateLines: ReadonlyMap<number, DateLine>; firstParagraph: number }): { index: number; title: string } | undefined {
  const { kept, outlet, bylines, dateLines, firstParagraph } = options;
  const settings = DRAFT_SETTINGS;
  const candidates = kept.slice(0, firstParagraph).flatMap((l, index) => {
    const text = withoutOutlet({ text: l.text, outlet });
    const words = wordCount(text);
    const reads = words >= settings.minHeadlineWords && words <= settings.maxHeadlineWords && text.length <= MAX_FIELD_CHARS.title && !/[.:;,]["'”’»)\]]*$/.test(text);
    return reads && !bylines.has(index) && !dateLines.has(index) && squash(text) !== squash(outlet) ? [{ index, title: text }] : [];
  });
  const repeated = candidates.find((c) => kept.filter((l) => sameHeadline({ a: l.text, b: c.title, outlet })).length >= 2);
  // The headline sits just above the date line or byline; a site's tagline is further up.
  const dated = kept.findIndex((_, i) => i < firstParagraph && (bylines.has(i) || dateLines.has(i)));
  const near = candidates.filter((c) => dated !== -1 && c.index < dated && dated - c.index <= settings.headlineNearDateLines);
  // A standfirst may sit between the headline and the byline, on the page's next line: the
  // headline is the first of such a run.
  let nearDate = near.at(-1);
  for (let i = near.length - 2; i >= 0 && nearDate; i--) {
    const above = near[i];
    if (above === undefined || kept[above.index]?.line !== (kept[nearDate.index]?.line ?? 0) - 1) break;
    nearDate = above;
  }
  const chosen = repeated ?? nearDate ?? candidates[0];
  return chosen ? { index: chosen.index, title: cleanValue(chosen.title, MAX_FIELD_CHARS.title) } : undefined;
}

/** Takes out what is page structure, not article: the header, headline copies, date lines, the footer. */
function removeStructure(options: {
  kept: readonly PageLine[];
  outlet: string;
  title: string;
  headline: number | undefined;
  bylines: ReadonlySet<number>;
  dateLines: ReadonlyMap<number, DateLine>;
}): { kept: PageLine[]; removed: Removal[] } {
  const { kept, outlet, title, headline, bylines, dateLines } = options;
  const removed: Removal[] = [];
  const body: PageLine[] = [];
  let lastProse = -1;
  kept.forEach((l, i) => {
    if (isProse(l.text) && !dateLines.has(i)) lastProse = i;
  });
  kept.forEach((l, i) => {
    const reason =
      i !== headline && sameHeadline({ a: l.text, b: title, outlet }) ? 'repeated headline'
      : dateLines.has(i) ? 'date line, its date goes in the front matter'
      : headline !== undefined && i < headline ? 'page header, above the headline'
      : i > lastProse && !endsAsSentence(l.text) && !bylines.has(i) ? 'page footer, after the article'
      : undefined;
    if (reason) removed.push({ text: l.text, line: l.line, reason });
    else body.push(l);
  });
  return { kept: body, removed };
}

/**
 * The date of the first date line (or dated byline) above the first paragraph, a publication
 * date before an update; failing that, the first one anywhere in the article.
 */
function draftDate(options: { kept: readonly PageLine[]; bylines: ReadonlySet<number>; dateLines: ReadonlyMap<number, DateLine>; firstParagraph: number }): { date: string | null; note: string } {
  const { kept, bylines, dateLines, firstParagraph } = options;
  const found: Array<{ index: number; date: string | null; written: string; updated: boolean }> = [];
  kept.forEach((l, index) => {
    const line = dateLines.get(index);
    if (line) found.push({ index, ...line });
    else if (bylines.has(index)) {
      const date = findDate(l.text);
      if (date) found.push({ index, date: date.date, written: date.written, updated: false });
    }
  });
  const top = found.filter((f) => f.index < firstParagraph);
  const pool = top.length > 0 ? top : found;
  const chosen = pool.find((f) => !f.updated) ?? pool[0];
  if (!chosen) return { date: null, note: 'the page has no date line; give it with --date YYYY-MM-DD' };
  const where = `"${kept[chosen.index]?.text}", line ${kept[chosen.index]?.line}`;
  if (chosen.date === null) return { date: null, note: `the date line ${where} can be read day first or month first; give the date with --date YYYY-MM-DD` };
  return { date: chosen.date, note: `from the date line ${where}` };
}

/** The writer from the first byline above the second paragraph, or from a "… by Name" date line. */
function draftByline(options: {
  kept: readonly PageLine[];
  bylines: ReadonlySet<number>;
  dateLines: ReadonlyMap<number, DateLine>;
  firstParagraph: number;
  removed: readonly Removal[];
}): { byline: string | null; note: string } {
  const { kept, bylines, dateLines, firstParagraph, removed } = options;
  const limit = firstParagraph + 2;
  for (let i = 0; i < Math.min(kept.length, limit); i++) {
    const l = kept[i];
    if (!l) continue;
    const name = bylines.has(i) ? bylineName(l.text) : dateLines.get(i)?.byline;
    if (name) return { byline: cleanValue(name, MAX_FIELD_CHARS.byline), note: `from "${l.text}", line ${l.line}` };
  }
  // A wire story names its writers in its credit line, which the page rules took out.
  const credit = removed.find((r) => r.reason.startsWith('reporting credit'));
  if (credit) return { byline: cleanValue(credit.text.replace(/^\(\s*|\s*\)$/g, ''), MAX_FIELD_CHARS.byline), note: `from the reporting credit, line ${credit.line}` };
  return { byline: null, note: 'the page has no "By …" line; give it with --byline' };
}

/** The name on a byline line, without its label, date, time and reading time. */
function bylineName(text: string): string | undefined {
  let rest = text.replace(BYLINE, '');
  const date = findDate(rest);
  if (date) rest = `${rest.slice(0, date.index)} | ${rest.slice(date.index + date.written.length)}`;
  rest = rest.replace(/\b\d+\s*(min|mins|minutes?)\s*read\b/gi, ' | ').replace(/\b\d{1,2}:\d{2}\b/g, ' | ');
  const name = (rest.split(/\s+[|·•—–-]\s+|\s*\|\s*|\s+on\s*$/)[0] ?? '').replace(/[\s,;:|·•–—-]+$/, '').trim();
  return name === '' ? undefined : name;
}

/** The same headline, or a breadcrumb glued to it as browsers copy them ("HomeWorld<headline>"). */
function sameHeadline(options: { a: string; b: string; outlet: string }): boolean {
  const a = squash(withoutOutlet({ text: options.a, outlet: options.outlet }));
  const b = squash(withoutOutlet({ text: options.b, outlet: options.outlet }));
  return b !== '' && (a === b || (a.endsWith(b) && b.length * 2 >= a.length && !/[.!?…]["'”’»)\]]*$/.test(options.a) && glued(options)));
}

/**
 * Whether the text ending with the headline is glued to it as a copied breadcrumb is
 * ("HomeWorld<headline>"), not a phrase that ends with the same words ("Press Service of the
 * <site name>").
 */
function glued(options: { a: string; b: string }): boolean {
  const at = options.a.toLowerCase().lastIndexOf(options.b.trim().toLowerCase());
  return at <= 0 || !/\s/.test(options.a.charAt(at - 1));
}

/** A tab title's site suffix cut off: "Dam opens at last | Valley Herald" → "Dam opens at last". */
function withoutOutlet(options: { text: string; outlet: string }): string {
  const { text, outlet } = options;
  if (outlet === '') return text;
  const escaped = outlet.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`\\s+[|–—:·-]\\s+${escaped}$`, 'i'), '').replace(new RegExp(`^${escaped}\\s+[|–—:·-]\\s+`, 'i'), '');
}

/** A drafted value fit for the front matter: one line, no invisible characters, bounded. */
function cleanValue(text: string, maxChars: number): string {
  const value = text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return value.length <= maxChars ? value : `${value.slice(0, maxChars - 1).trimEnd()}…`;
}

