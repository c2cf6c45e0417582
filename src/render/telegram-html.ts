import type { Answer, CorpusAbout, EngineInfo, Snippet, Source } from '../core/types.js';
import { alsoReportedBy } from './corroboration.js';

/** Telegram refuses longer messages. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;
/** What renderers aim for: a margin under the hard limit. @default 4000 */
export const DEFAULT_MAX_CHARS = 4000;
/** Snippets shown per answer message; the rest come with "More sources". @default 3 */
export const DEFAULT_PAGE_SIZE = 3;

/** The corpus's own words in a language, English when it has none in that one. */
export function aboutIn(about: CorpusAbout, language = 'en'): { description: string; topics: string; examples: string[] } {
  const pick = <T>(map: Record<string, T>, fallback: T): T => map[language] ?? map.en ?? fallback;
  return { description: pick(about.description, ''), topics: pick(about.topics, ''), examples: pick(about.examples, []) };
}

/** The first example question of the corpus, for hints ("for example: …"). */
export function firstExample(about: CorpusAbout, language = 'en'): string {
  return aboutIn(about, language).examples[0] ?? aboutIn(about, 'en').examples[0] ?? '';
}

/** Escapes text for Telegram HTML: `&`, `<` and `>`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted HTML attribute. */
export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2025-10-09" -> "9 October 2025"; anything else is returned as given. */
export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) return iso;
  return `${Number(match[3])} ${month} ${match[1]}`;
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

/** "October 2025 visit; June 2022 visit; and 12 more (see /sources)", however many events there are. */
function eventsText(events: readonly string[]): string {
  const named = events.slice(0, EVENTS_NAMED).map((e) => truncate(e, EVENT_CHARS));
  const more = events.length - named.length;
  return `${named.join('; ')}${more > 0 ? `; and ${more} more (see /sources)` : ''}`;
}

/** Wraps already-escaped text in a link when the address is a real http(s) URL. */
function linked(html: string, url: string | null): string {
  return url && /^https?:\/\/\S+$/i.test(url) ? `<a href="${escapeAttribute(url)}">${html}</a>` : html;
}

/** When an article was published, or the event it covers when it gives no date. */
function whenText(source: Source, event: string): string {
  return source.date ? formatDate(source.date) : `undated, ${truncate(event, EVENT_CHARS)}`;
}

/**
 * "— <b>Outlet</b>, 9 October 2025: <a href=…>“Title”</a>". With `showEvent` the event label
 * follows, so mixed answers say which visit each quote is about.
 */
export function renderSourceLine(options: { source: Source; event: string; showEvent?: boolean }): string {
  const { source, event, showEvent = false } = options;
  const title = linked(escapeHtml(`“${truncate(source.title, 200)}”`), source.url);
  const eventNote = showEvent && source.date ? ` · ${escapeHtml(truncate(event, EVENT_CHARS))}` : '';
  return `— <b>${escapeHtml(truncate(source.outlet, 100))}</b>, ${escapeHtml(whenText(source, event))}: ${title}${eventNote}`;
}

const MAX_ALSO_NAMED = 8;

/** One snippet as HTML lines, each a complete element, so lines can be dropped safely. */
function snippetLines(options: { snippet: Snippet; showEvent: boolean; quoteChars: number; differsShown: number }): string[] {
  const { snippet, showEvent, quoteChars, differsShown } = options;
  const lines = [`<blockquote>${escapeHtml(truncate(snippet.quote, quoteChars))}</blockquote>`, renderSourceLine({ source: snippet.source, event: snippet.event, showEvent })];
  const same = alsoReportedBy(snippet);
  if (same.length > 0) {
    const named = same.slice(0, MAX_ALSO_NAMED).map((c) => linked(escapeHtml(truncate(c.source.outlet, 100)), c.source.url));
    const others = same.length > MAX_ALSO_NAMED ? ` and ${same.length - MAX_ALSO_NAMED} more` : '';
    lines.push(`Also reported by ${named.join(', ')}${others}.`);
  }
  const differ = snippet.corroboratedBy.filter((c) => c.differs);
  for (const c of differ.slice(0, differsShown)) {
    const outlet = linked(`<b>${escapeHtml(truncate(c.source.outlet, 100))}</b>`, c.source.url);
    lines.push(`${outlet} puts it differently: “${escapeHtml(truncate(c.quote, quoteChars))}”`);
  }
  const hidden = differ.length - Math.min(differsShown, differ.length);
  if (hidden > 0) lines.push(`…and ${hidden} more ${hidden === 1 ? 'outlet puts' : 'outlets put'} it differently.`);
  return lines;
}

/**
 * One snippet as an HTML block of at most `maxChars`: first drops differing quotes, then
 * shortens the quotes (as plain text, before escaping), so a tag is never cut.
 */
export function renderSnippetBlock(options: { snippet: Snippet; showEvent?: boolean; maxChars?: number }): string {
  const { snippet, showEvent = false, maxChars = DEFAULT_MAX_CHARS } = options;
  const differing = snippet.corroboratedBy.filter((c) => c.differs).length;
  let block = '';
  for (let differsShown = differing; differsShown >= 0; differsShown--) {
    block = snippetLines({ snippet, showEvent, quoteChars: 400, differsShown }).join('\n');
    if (block.length <= maxChars) return block;
  }
  for (let quoteChars = 300; quoteChars >= 40; quoteChars -= 60) {
    block = snippetLines({ snippet, showEvent, quoteChars, differsShown: 0 }).join('\n');
    if (block.length <= maxChars) return block;
  }
  return snippetLines({ snippet, showEvent, quoteChars: 40, differsShown: 0 }).slice(0, 2).join('\n');
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
 * blockquote followed by its source, corroborating outlets, and a one-line lead when the
 * quotes on the page come from different events. Whole snippets that do not fit move to the
 * next page, so the message stays under `maxChars` and is never cut inside a tag.
 * Not-answered answers render the friendly not-covered reply.
 * @default offset 0, pageSize 3, maxChars 4000
 */
export function renderAnswerPage(answer: Answer, options: { offset?: number; pageSize?: number; maxChars?: number; about?: CorpusAbout } = {}): AnswerPage {
  const { pageSize = DEFAULT_PAGE_SIZE, maxChars = DEFAULT_MAX_CHARS } = options;
  const total = answer.snippets.length;
  if (!answer.answered || total === 0) {
    const text = options.about ? renderNotCovered({ about: options.about, reason: answer.reason }) : 'Sorry, the articles I know don’t cover that.';
    return { text, offset: 0, shown: 0, nextOffset: undefined, total: 0 };
  }
  const offset = Math.min(Math.max(0, Math.trunc(options.offset ?? 0)), total - 1);
  const candidates = answer.snippets.slice(offset, offset + Math.max(1, pageSize));
  const events = [...new Set(candidates.map((s) => s.event))];
  const mixed = events.length > 1;
  const lead = mixed ? `<i>Note: these quotes come from different events (${escapeHtml(eventsText(events))}).</i>` : '';
  // Room for the header, whose numbers are known only after packing.
  const headerRoom = offset > 0 ? 60 : 0;
  let budget = maxChars - headerRoom - (lead ? lead.length + 2 : 0);
  const blocks: string[] = [];
  for (const snippet of candidates) {
    const separator = blocks.length > 0 ? 2 : 0;
    const block = blocks.length === 0
      ? renderSnippetBlock({ snippet, showEvent: mixed, maxChars: budget })
      : renderSnippetBlock({ snippet, showEvent: mixed });
    if (blocks.length > 0 && block.length + separator > budget) break;
    blocks.push(block);
    budget -= block.length + separator;
  }
  const shown = blocks.length;
  const header = offset > 0 ? `<b>More sources (${offset + 1}–${offset + shown} of ${total})</b>` : '';
  const text = [header, lead, ...blocks].filter((part) => part !== '').join('\n\n');
  const next = offset + shown;
  return { text, offset, shown, nextOffset: next < total ? next : undefined, total };
}

/** A single quote with its source: what an inline result sends. */
export function renderSnippetMessage(snippet: Snippet, options: { maxChars?: number } = {}): string {
  return renderSnippetBlock({ snippet, maxChars: options.maxChars ?? DEFAULT_MAX_CHARS });
}

/** Event labels of the corpus, most recent coverage first as the sources list them. */
export function corpusEvents(info: Pick<EngineInfo, 'sources'>): string[] {
  return [...new Set(info.sources.map((s) => s.event))];
}

/** The friendly reply for a question the coverage does not answer. */
export function renderNotCovered(options: { about: CorpusAbout; reason?: Answer['reason']; events?: readonly string[] }): string {
  const about = aboutIn(options.about);
  const example = `<i>${escapeHtml(firstExample(options.about))}</i>`;
  if (options.reason === 'empty') return `Please ask a question in words, for example:\n${example}`;
  const events = options.events && options.events.length > 0 ? ` (${escapeHtml(eventsText(options.events))})` : '';
  return [
    'Sorry, the articles I know don’t cover that.',
    `I answer questions about ${escapeHtml(about.description)}${events}: ${escapeHtml(about.topics)}.`,
    '',
    `Try, for example:\n${example}`,
    '',
    'See /help for more examples and /sources for the articles I quote.',
  ].join('\n');
}

/** Text of /help: what the bot knows, how to ask in each kind of chat, examples, commands. */
export function renderHelp(options: { info: Pick<EngineInfo, 'sources' | 'articles' | 'about'>; username: string }): string {
  const { info, username } = options;
  const events = corpusEvents(info);
  const about = aboutIn(info.about);
  const bot = `@${escapeHtml(username)}`;
  return [
    '<b>What I know</b>',
    `I answer questions about ${escapeHtml(about.description)}${events.length ? ` (${escapeHtml(eventsText(events))})` : ''}, quoting ${info.articles} articles word for word and naming each source.`,
    '',
    '<b>How to ask</b>',
    '• Here: just type your question.',
    `• In a group: <code>/ask your question</code>, mention ${bot} in your message, or reply to one of my answers.`,
    `• In any chat: type ${bot} and your question, then pick a quote to send.`,
    '',
    '<b>Examples</b>',
    ...about.examples.map((q) => `• ${escapeHtml(q)}`),
    '',
    '<b>Commands</b>',
    '/sources: the articles I quote',
    '/about: model and index details',
    '/help: this message',
  ].join('\n');
}

/** Text of /start: a greeting followed by the help. */
export function renderStart(options: { info: Pick<EngineInfo, 'sources' | 'articles' | 'about'>; username: string; firstName?: string }): string {
  const name = options.firstName ? `, ${escapeHtml(truncate(options.firstName, 64))}` : '';
  return `Hello${name}! Ask me about the news coverage and I reply with verbatim quotes and their sources.\n\n${renderHelp(options)}`;
}

/** Text of /sources: every article with outlet, date and title, grouped by event; split to fit. */
export function renderSources(options: { info: Pick<EngineInfo, 'sources'>; maxChars?: number }): string[] {
  const { info, maxChars = DEFAULT_MAX_CHARS } = options;
  const blocks = [`<b>Articles I quote (${info.sources.length})</b>`];
  for (const event of corpusEvents(info)) {
    const sources = info.sources
      .filter((s) => s.event === event)
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.outlet.localeCompare(b.outlet));
    blocks.push(`\n<b>${escapeHtml(truncate(event, EVENT_CHARS))}</b>`);
    for (const s of sources) {
      const title = linked(escapeHtml(`“${truncate(s.title, 200)}”`), s.url);
      blocks.push(`• <b>${escapeHtml(truncate(s.outlet, 100))}</b>, ${escapeHtml(whenText(s, s.event))}: ${title}`);
    }
  }
  return splitIntoMessages({ blocks, maxChars });
}

/** Text of /about: model, when the index was built, and its size. */
export function renderAbout(options: { info: Pick<EngineInfo, 'modelId' | 'dimensions' | 'builtAt' | 'articles' | 'chunks'> }): string {
  const { info } = options;
  const built = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(info.builtAt) ? `${info.builtAt.slice(0, 10)} ${info.builtAt.slice(11, 16)} UTC` : info.builtAt;
  return [
    '<b>About this bot</b>',
    `Embedding model: <code>${escapeHtml(info.modelId)}</code> (${info.dimensions} dimensions)`,
    `Index built: ${escapeHtml(built)}`,
    `Articles: ${info.articles}; passages (chunks): ${info.chunks}`,
    '',
    'Every quote is copied word for word from its article; I never paraphrase.',
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

/** "ThePrint (Reuters), 9 October 2025" as plain text: an inline result's title. */
export function plainSourceLabel(options: { source: Source; event: string }): string {
  return `${truncate(options.source.outlet, 100)}, ${whenText(options.source, options.event)}`;
}
