/** One quote with its source and the outlets that report the same fact, as Telegram HTML; inline results. */
import { MAX_QUOTE_CHARS, type Corroboration, type Snippet, type Source } from '../core/types.js';
import { figureVariants, otherOutlets, type FigureVariant } from './corroboration.js';
import { DEFAULT_MAX_CHARS, escapeHtml, EVENT_CHARS, formatDate, linked, OUTLET_CHARS, TITLE_CHARS, truncateText as truncate, whenText, type Voice } from './html.js';
import { DISPLAY } from '../core/settings.js';

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
const MAX_ALSO_NAMED = DISPLAY.alsoNamed;

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
const MAX_VARIANTS = DISPLAY.figureVariants;

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
