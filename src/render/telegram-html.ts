import { MAX_QUOTE_CHARS, QUOTES_PER_PAGE, type Answer, type CorpusAbout, type Corroboration, type EngineInfo, type Snippet, type Source } from '../core/types.js';
import { yearsIn } from '../core/text.js';
import { figureVariants, otherOutlets, type FigureVariant } from './corroboration.js';
import type { Translate } from './messages.js';

/** Telegram refuses longer messages. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;
/** What renderers aim for: a margin under the hard limit. @default 4000 */
export const DEFAULT_MAX_CHARS = 4000;
/** Snippets shown per answer message; the rest come with "More sources". @default 3 */
export const DEFAULT_PAGE_SIZE = QUOTES_PER_PAGE;

/** How every renderer speaks: the bot's words in the reader's language, and dates in it too. */
export interface Voice {
  t: Translate;
  /** BCP 47 language of the reader ("en", "ru"), for dates. @default 'en' */
  locale?: string;
}

/** The corpus's own words in a language, English when it has none in that one. */
export function aboutIn(about: CorpusAbout, language = 'en'): { description: string; topics: string; examples: string[] } {
  const pick = <T>(map: Record<string, T>, fallback: T): T => map[language] ?? map.en ?? fallback;
  return { description: pick(about.description, ''), topics: pick(about.topics, ''), examples: pick(about.examples, []) };
}

/**
 * The example questions to offer a reader: in their language when the model reads it, in
 * English otherwise (an English-only model would decline a Russian example).
 */
export function examplesFor(info: Pick<EngineInfo, 'about' | 'multilingual'>, language = 'en'): string[] {
  const examples = aboutIn(info.about, info.multilingual === true ? language : 'en').examples;
  return examples.length > 0 ? examples : aboutIn(info.about, 'en').examples;
}

/** The first example question, for hints ("for example: …"). */
export function firstExample(info: Pick<EngineInfo, 'about' | 'multilingual'>, language = 'en'): string {
  return examplesFor(info, language)[0] ?? '';
}

/** A reader whose language the model cannot read is asked, in their language, to ask in English. */
function asksInEnglish(info: Pick<EngineInfo, 'multilingual'>, language: string): boolean {
  return info.multilingual !== true && language !== 'en';
}

/** Escapes text for Telegram HTML: `&`, `<` and `>`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted HTML attribute. */
export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/** "2025-10-09" -> "9 October 2025" (or "9 октября 2025 г."); anything else is returned as given. */
export function formatDate(iso: string, locale = 'en'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts plain text (before escaping, so never inside an entity) to at most `max` UTF-16 units,
 * as Telegram counts them, and marks the cut. Cuts fall between graphemes: never inside a
 * surrogate pair (which Telegram refuses as invalid UTF-8), a flag or an emoji with a skin tone.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - 1);
  let end = 0;
  for (const { index, segment } of GRAPHEMES.segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}

const truncate = truncateText;

/** Event labels named where the bot says what it covers; the rest are counted, /sources lists all. */
const EVENTS_NAMED = 3;
/** Longest event label shown; labels are limited when articles are added, older indexes too here. */
const EVENT_CHARS = 80;
/** Longest outlet name and title shown. */
const OUTLET_CHARS = 100;
const TITLE_CHARS = 200;

/** "October 2025 visit; June 2022 visit; and 12 more (see /sources)", however many events there are. */
function eventsText(events: readonly string[], t: Translate): string {
  const named = events.slice(0, EVENTS_NAMED).map((e) => truncate(e, EVENT_CHARS));
  const more = events.length - named.length;
  return `${named.join('; ')}${more > 0 ? t('events-more', { count: more }) : ''}`;
}

/** Wraps already-escaped text in a link when the address is a real http(s) URL. */
function linked(html: string, url: string | null): string {
  return url && /^https?:\/\/\S+$/i.test(url) ? `<a href="${escapeAttribute(url)}">${html}</a>` : html;
}

/** When an article was published, or the event it covers when it gives no date. */
function whenText(source: Source, event: string, voice: Voice): string {
  return source.date ? formatDate(source.date, voice.locale) : voice.t('undated', { event: truncate(event, EVENT_CHARS) });
}

/**
 * "— <b>Outlet</b>, 9 October 2025: <a href=…>“Title”</a>". With `showEvent` the event label
 * follows, so mixed answers say which visit each quote is about.
 */
export function renderSourceLine(options: { source: Source; event: string; showEvent?: boolean; voice: Voice }): string {
  const { source, event, showEvent = false, voice } = options;
  const title = linked(escapeHtml(`“${truncate(source.title, TITLE_CHARS)}”`), source.url);
  const eventNote = showEvent && source.date ? ` · ${escapeHtml(truncate(event, EVENT_CHARS))}` : '';
  return `— <b>${escapeHtml(truncate(source.outlet, OUTLET_CHARS))}</b>, ${escapeHtml(whenText(source, event, voice))}: ${title}${eventNote}`;
}

/** Outlets named on the "also reported by" line; the rest are counted. */
const MAX_ALSO_NAMED = 8;

/** "ThePrint (Reuters), 9 October 2025 · CNewsLive, undated": every other outlet with its date. */
function outletsLine(reports: readonly Corroboration[], voice: Voice): string | undefined {
  if (reports.length === 0) return undefined;
  const named = reports.slice(0, MAX_ALSO_NAMED).map((c) => {
    const when = c.source.date ? formatDate(c.source.date, voice.locale) : voice.t('undated-short');
    return `${linked(escapeHtml(truncate(c.source.outlet, OUTLET_CHARS)), c.source.url)}, ${escapeHtml(when)}`;
  });
  const more = reports.length > MAX_ALSO_NAMED ? ` ${voice.t('also-more', { count: reports.length - MAX_ALSO_NAMED })}` : '';
  return voice.t('also-reported', { outlets: `${named.join(' · ')}${more}` });
}

/** Ways of writing the figure named on the "differently" line; each names three outlets. */
const MAX_VARIANTS = 6;

/** "“over $45 billion” (ThePrint) · “around $45bn” (CNewsLive, bne IntelliNews)". */
function variantsText(variants: readonly FigureVariant[]): string {
  return variants.slice(0, MAX_VARIANTS).map(({ phrase, outlets }) => {
    const names = outlets.slice(0, 3).map((name) => escapeHtml(truncate(name, OUTLET_CHARS)));
    const rest = outlets.length > 3 ? ` +${outlets.length - 3}` : '';
    return `“${escapeHtml(phrase)}” (${names.join(', ')}${rest})`;
  }).join(' · ');
}

/**
 * One snippet as HTML lines, each a complete element, so lines can be dropped safely: the
 * quote, its source, one line naming every other outlet that reports the fact (with dates),
 * and where their figures differ, only the differing phrases, with the full wordings folded
 * in an expandable blockquote.
 */
function snippetLines(options: { snippet: Snippet; showEvent: boolean; quoteChars: number; wordings: boolean; voice: Voice }): string[] {
  const { snippet, showEvent, quoteChars, wordings, voice } = options;
  const lines = [
    `<blockquote>${escapeHtml(truncate(snippet.quote, quoteChars))}</blockquote>`,
    renderSourceLine({ source: snippet.source, event: snippet.event, showEvent, voice }),
  ];
  const others = otherOutlets(snippet);
  const also = outletsLine(others, voice);
  if (also) lines.push(also);
  const variants = figureVariants(snippet);
  if (variants) {
    lines.push(voice.t('figures-differ', { phrases: variantsText(variants) }));
    if (wordings) {
      const differ = others.filter((c) => c.differs).slice(0, MAX_ALSO_NAMED);
      const full = differ.map((c) => `<b>${escapeHtml(truncate(c.source.outlet, OUTLET_CHARS))}</b>: “${escapeHtml(truncate(c.quote, quoteChars))}”`);
      lines.push(`<blockquote expandable>${escapeHtml(voice.t('full-wordings'))}\n${full.join('\n')}</blockquote>`);
    }
  }
  return lines;
}

/**
 * One snippet as an HTML block of at most `maxChars`: first folds away the full wordings, then
 * shortens the quotes (as plain text, before escaping), so a tag is never cut.
 */
export function renderSnippetBlock(options: { snippet: Snippet; showEvent?: boolean; maxChars?: number; voice: Voice }): string {
  const { snippet, showEvent = false, maxChars = DEFAULT_MAX_CHARS, voice } = options;
  for (const wordings of [true, false]) {
    const block = snippetLines({ snippet, showEvent, quoteChars: MAX_QUOTE_CHARS, wordings, voice }).join('\n');
    if (block.length <= maxChars) return block;
  }
  for (let quoteChars = 300; quoteChars >= 40; quoteChars -= 60) {
    const block = snippetLines({ snippet, showEvent, quoteChars, wordings: false, voice }).join('\n');
    if (block.length <= maxChars) return block;
  }
  return snippetLines({ snippet, showEvent, quoteChars: 40, wordings: false, voice }).slice(0, 2).join('\n');
}

/** One page of an answer: the message text and where the next page starts, if any. */
export interface AnswerPage {
  text: string;
  /** Index of the first snippet shown. */
  offset: number;
  /** How many snippets the page shows. */
  shown: number;
  /** Index of the first snippet of the next page; undefined on the last page. */
  nextOffset: number | undefined;
  total: number;
}

/**
 * Renders snippets `offset…` of an answer as one Telegram HTML message: each quote as a
 * blockquote followed by its source and the outlets that report the same fact. A one-line note
 * leads when the quotes shown come from different events and the question named none. Whole
 * snippets that do not fit move to the next page, so the message stays under `maxChars` and is
 * never cut inside a tag. Later pages start with "More sources (4–6 of 8)".
 * @default offset 0, pageSize 3, maxChars 4000
 */
export function renderAnswerPage(answer: Answer, options: { voice: Voice; offset?: number; pageSize?: number; maxChars?: number }): AnswerPage {
  const { voice, pageSize = DEFAULT_PAGE_SIZE, maxChars = DEFAULT_MAX_CHARS } = options;
  const total = answer.snippets.length;
  if (!answer.answered || total === 0) return { text: escapeHtml(voice.t('not-covered')), offset: 0, shown: 0, nextOffset: undefined, total: 0 };
  const offset = Math.min(Math.max(0, Math.trunc(options.offset ?? 0)), total - 1);
  const candidates = answer.snippets.slice(offset, offset + Math.max(1, pageSize));
  const events = [...new Set(candidates.map((s) => s.event))];
  // A question that names a year chose its visit; the note would only repeat it.
  const mixed = events.length > 1 && yearsIn(answer.question).length === 0;
  const lead = mixed ? `<i>${escapeHtml(voice.t('mixed-events', { events: eventsText(events, voice.t) }))}</i>` : '';
  // Room for the header, whose numbers are known only after packing.
  const headerRoom = offset > 0 ? 80 : 0;
  let budget = maxChars - headerRoom - (lead ? lead.length + 2 : 0);
  const blocks: string[] = [];
  for (const snippet of candidates) {
    const separator = blocks.length > 0 ? 2 : 0;
    const block = blocks.length === 0
      ? renderSnippetBlock({ snippet, showEvent: events.length > 1, maxChars: budget, voice })
      : renderSnippetBlock({ snippet, showEvent: events.length > 1, voice });
    if (blocks.length > 0 && block.length + separator > budget) break;
    blocks.push(block);
    budget -= block.length + separator;
  }
  const shown = blocks.length;
  const header = offset > 0 ? `<b>${escapeHtml(voice.t('more-header', { range: shown > 1 ? `${offset + 1}–${offset + shown}` : `${offset + 1}`, total }))}</b>` : '';
  const text = [header, lead, ...blocks].filter((part) => part !== '').join('\n\n');
  const next = offset + shown;
  return { text, offset, shown, nextOffset: next < total ? next : undefined, total };
}

/**
 * The closest the coverage comes to a question it does not answer: said plainly first, then
 * the quotes (at most two, see MAX_RELATED_QUOTES) with their sources, never as an answer.
 */
export function renderClosest(related: readonly Snippet[], options: { voice: Voice; maxChars?: number }): string {
  const { voice, maxChars = DEFAULT_MAX_CHARS } = options;
  const lead = escapeHtml(voice.t('closest'));
  const events = new Set(related.map((s) => s.event));
  let budget = maxChars - lead.length - 2;
  const blocks: string[] = [];
  for (const snippet of related) {
    const block = renderSnippetBlock({ snippet, showEvent: events.size > 1, maxChars: Math.max(0, budget - (blocks.length > 0 ? 2 : 0)), voice });
    if (blocks.length > 0 && block.length + 2 > budget) break;
    blocks.push(block);
    budget -= block.length + 2;
  }
  return [lead, ...blocks].join('\n\n');
}

/** A single quote with its source: what an inline result sends. */
export function renderSnippetMessage(snippet: Snippet, options: { voice: Voice; maxChars?: number }): string {
  return renderSnippetBlock({ snippet, maxChars: options.maxChars ?? DEFAULT_MAX_CHARS, voice: options.voice });
}

/** An inline result's title: the first words of its quote. */
export function inlineTitle(snippet: Snippet): string {
  const words = snippet.quote.replace(/\s+/g, ' ').trim();
  if (words.length <= 60) return words;
  const cut = words.lastIndexOf(' ', 59);
  return `${words.slice(0, cut > 20 ? cut : 59).replace(/[,;:–—-]+$/, '')}…`;
}

/** An inline result's description: outlet and date, as plain text. */
export function inlineDescription(snippet: Snippet, voice: Voice): string {
  return `${truncate(snippet.source.outlet, OUTLET_CHARS)}, ${whenText(snippet.source, snippet.event, voice)}`;
}

/** Event labels of the corpus, most recent coverage first as the sources list them. */
export function corpusEvents(info: Pick<EngineInfo, 'sources'>): string[] {
  return [...new Set(info.sources.map((s) => s.event))];
}

/**
 * The reply for a question the engine declined: not covered (what the bot does cover, an
 * example, where to look), no words at all, or a language the model cannot read (which
 * languages it does, and how an admin enables more).
 */
export function renderNotCovered(options: { info: Pick<EngineInfo, 'about' | 'multilingual' | 'sources'>; reason?: Answer['reason']; voice: Voice }): string {
  const { info, voice } = options;
  const language = voice.locale ?? 'en';
  const about = aboutIn(info.about, language);
  const example = `<i>${escapeHtml(firstExample(info, language))}</i>`;
  if (options.reason === 'empty') return `${escapeHtml(voice.t('empty-question'))}\n${example}`;
  if (options.reason === 'language') return [escapeHtml(voice.t('language-unsupported')), escapeHtml(voice.t('language-enable'))].join('\n');
  const events = corpusEvents(info);
  const eventsNote = events.length > 0 ? ` (${eventsText(events, voice.t)})` : '';
  return [
    escapeHtml(voice.t('not-covered')),
    escapeHtml(voice.t('not-covered-scope', { description: about.description, events: eventsNote, topics: about.topics })),
    '',
    `${escapeHtml(voice.t(asksInEnglish(info, language) ? 'not-covered-try-english' : 'not-covered-try'))}\n${example}`,
    '',
    escapeHtml(voice.t('not-covered-more')),
  ].join('\n');
}

/** Text of /help: what the bot knows, how to ask in each kind of chat, examples, commands. */
export function renderHelp(options: { info: Pick<EngineInfo, 'sources' | 'articles' | 'about' | 'multilingual'>; username: string; voice: Voice }): string {
  const { info, username, voice } = options;
  const { t } = voice;
  const events = corpusEvents(info);
  const language = voice.locale ?? 'en';
  const about = aboutIn(info.about, language);
  const bot = `@${escapeHtml(username)}`;
  const examples = examplesFor(info, language);
  // A corpus without example questions gets no examples section rather than an empty one.
  const examplesSection = examples.length === 0 ? [] : [
    t('help-examples'),
    ...(asksInEnglish(info, language) ? [escapeHtml(t('help-ask-english'))] : []),
    ...examples.map((q) => `• ${escapeHtml(q)}`),
    '',
  ];
  return [
    t('help-what'),
    escapeHtml(t('help-covers', { description: about.description, events: events.length ? ` (${eventsText(events, t)})` : '', articles: info.articles })),
    '',
    t('help-how'),
    t('help-how-private'),
    t('help-how-group', { bot }),
    t('help-how-inline', { bot }),
    escapeHtml(t('help-how-follow')),
    '',
    ...examplesSection,
    t('help-commands'),
    t('help-command-sources'),
    t('help-command-about'),
    t('help-command-help'),
  ].join('\n');
}

/** Text of /start: a greeting followed by the help. */
export function renderStart(options: { info: Pick<EngineInfo, 'sources' | 'articles' | 'about' | 'multilingual'>; username: string; firstName?: string; voice: Voice }): string {
  const name = options.firstName ? `, ${escapeHtml(truncate(options.firstName, 64))}` : '';
  return `${options.voice.t('start-greeting', { name })}\n\n${renderHelp(options)}`;
}

/** Text of /sources: every article with outlet, date and title, grouped by event; split to fit. */
export function renderSources(options: { info: Pick<EngineInfo, 'sources'>; maxChars?: number; voice: Voice }): string[] {
  const { info, maxChars = DEFAULT_MAX_CHARS, voice } = options;
  const blocks = [voice.t('sources-title', { count: info.sources.length })];
  for (const event of corpusEvents(info)) {
    const sources = info.sources
      .filter((s) => s.event === event)
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.outlet.localeCompare(b.outlet));
    blocks.push(`\n<b>${escapeHtml(truncate(event, EVENT_CHARS))}</b>`);
    for (const s of sources) {
      const title = linked(escapeHtml(`“${truncate(s.title, TITLE_CHARS)}”`), s.url);
      blocks.push(`• <b>${escapeHtml(truncate(s.outlet, OUTLET_CHARS))}</b>, ${escapeHtml(whenText(s, s.event, voice))}: ${title}`);
    }
  }
  return splitIntoMessages({ blocks, maxChars });
}

/** Text of /about: model, when the index was built, and its size. */
export function renderAbout(options: { info: Pick<EngineInfo, 'modelId' | 'dimensions' | 'builtAt' | 'articles' | 'chunks'>; voice: Voice }): string {
  const { info, voice } = options;
  const { t } = voice;
  const built = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(info.builtAt) ? `${info.builtAt.slice(0, 10)} ${info.builtAt.slice(11, 16)} UTC` : info.builtAt;
  return [
    t('about-title'),
    t('about-model', { model: escapeHtml(info.modelId), dimensions: info.dimensions }),
    escapeHtml(t('about-built', { built })),
    escapeHtml(t('about-size', { articles: info.articles, chunks: info.chunks })),
    '',
    escapeHtml(t('about-verbatim')),
  ].join('\n');
}

/**
 * Packs HTML blocks (each a complete element) into as few messages as fit `maxChars`,
 * joined by newlines. A block that alone is too long is sent as shortened plain text.
 */
export function splitIntoMessages(options: { blocks: readonly string[]; maxChars?: number }): string[] {
  const { blocks, maxChars = DEFAULT_MAX_CHARS } = options;
  const messages: string[] = [];
  let current = '';
  for (const raw of blocks) {
    const block = raw.length <= maxChars ? raw : escapeHtml(truncate(htmlToPlain(raw), Math.floor(maxChars / 5)));
    if (current === '') {
      current = block.replace(/^\n+/, '');
    } else if (current.length + 1 + block.length <= maxChars) {
      current += `\n${block}`;
    } else {
      messages.push(current);
      current = block.replace(/^\n+/, '');
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}

function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
