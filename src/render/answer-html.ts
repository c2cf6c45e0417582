/** An answer as Telegram HTML: its pages, the closest the coverage comes, and "not covered". */
import { QUOTES_PER_PAGE, type Answer, type EngineInfo, type Snippet } from '../core/types.js';
import { yearsIn } from '../core/text.js';
import { aboutIn, asksInEnglish, corpusEvents, firstExample } from './about.js';
import { DEFAULT_MAX_CHARS, escapeHtml, eventsText, type Voice } from './html.js';
import { renderSnippetBlock } from './snippet-html.js';

/** Snippets shown per answer message; the rest come with "More sources". @default 3 */
export const DEFAULT_PAGE_SIZE = QUOTES_PER_PAGE;

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
