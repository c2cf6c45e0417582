/**
 * Telegram HTML basics every renderer shares: escaping, dates, cutting text between graphemes,
 * the display limits of names and titles, and packing blocks into messages.
 */
import type { Source } from '../core/types.js';
import type { Translate } from './messages.js';
import { DISPLAY } from '../core/settings.js';

/** Telegram refuses longer messages. */
export const TELEGRAM_MESSAGE_LIMIT = DISPLAY.telegramMessageLimit;

/** What renderers aim for: a margin under the hard limit. @default 4000 */
export const DEFAULT_MAX_CHARS = DISPLAY.maxMessageChars;

/** How every renderer speaks: the bot's words in the reader's language, and dates in it too. */
export interface Voice {
  t: Translate;
  /** BCP 47 language of the reader ("en", "ru"), for dates. @default 'en' */
  locale?: string;
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
const EVENTS_NAMED = DISPLAY.eventsNamed;

/** Longest event label shown; labels are limited when articles are added, older indexes too here. */
export const EVENT_CHARS = DISPLAY.eventChars;

/** Longest outlet name and title shown. */
export const OUTLET_CHARS = DISPLAY.outletChars;

export const TITLE_CHARS = DISPLAY.titleChars;

/** "October 2025 visit; June 2022 visit; and 12 more (see /sources)", however many events there are. */
export function eventsText(events: readonly string[], t: Translate): string {
  const named = events.slice(0, EVENTS_NAMED).map((e) => truncate(e, EVENT_CHARS));
  const more = events.length - named.length;
  return `${named.join('; ')}${more > 0 ? t('events-more', { count: more }) : ''}`;
}

/** Wraps already-escaped text in a link when the address is a real http(s) URL. */
export function linked(html: string, url: string | null): string {
  return url && /^https?:\/\/\S+$/i.test(url) ? `<a href="${escapeAttribute(url)}">${html}</a>` : html;
}

/** When an article was published, or the event it covers when it gives no date. */
export function whenText(source: Source, event: string, voice: Voice): string {
  return source.date ? formatDate(source.date, voice.locale) : voice.t('undated', { event: truncate(event, EVENT_CHARS) });
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
