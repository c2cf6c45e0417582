/**
 * Reading a publication date off a pasted web page: the page's date line ("09.10.2025, 18:42",
 * "October 10, 2025 · 5 min read", "Published: Friday, October 10, 2025", "10 Oct 2025",
 * "2025-10-10T18:42:00Z") as a calendar day, YYYY-MM-DD.
 */

/** What a date line says: the day (null when the line is ambiguous) and what else it names. */
export interface DateLine {
  /** YYYY-MM-DD, or null when the numbers could be read day-first or month-first. */
  date: string | null;
  /** The text of the date as the page wrote it. */
  written: string;
  /** The line says the page was updated (or modified) then, not published. */
  updated: boolean;
  /** The writer, when the line also says "by …" ("Posted on 10 Oct 2025 by Mara Lind"). */
  byline?: string;
}

/**
 * Month names, English and Russian (the bot serves both languages): the full name, its common
 * abbreviation, and for Russian the genitive that follows a day number ("10 октября 2025").
 */
const MONTHS: Readonly<Record<string, number>> = Object.freeze({
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
  января: 1, февраля: 2, марта: 3, апреля: 4, мая: 5, июня: 6, июля: 7, августа: 8, сентября: 9,
  октября: 10, ноября: 11, декабря: 12,
});
const MONTH = `(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})`;

/** Each way a page writes a day, with how to read its groups as year, month and day. */
const DATE_FORMATS: ReadonlyArray<{ re: RegExp; read: (m: RegExpExecArray) => { y: string; m: string; d: string; ambiguous?: boolean } }> = [
  // ISO, with an optional time: 2025-10-10, 2025-10-10T18:42:00Z.
  { re: /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)/, read: (m) => ({ y: m[1] ?? '', m: m[2] ?? '', d: m[3] ?? '' }) },
  // Dotted dates are day first wherever they are written (Europe, Russia, Central Asia).
  { re: /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])/, read: (m) => ({ y: m[3] ?? '', m: m[2] ?? '', d: m[1] ?? '' }) },
  // Slashed dates are day first in most of the world and month first in the US: read only
  // when one of the two numbers is over 12.
  {
    re: /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d/])/,
    read: (m) => {
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (a > 12) return { y: m[3] ?? '', m: m[2] ?? '', d: m[1] ?? '' };
      if (b > 12) return { y: m[3] ?? '', m: m[1] ?? '', d: m[2] ?? '' };
      return { y: m[3] ?? '', m: m[2] ?? '', d: m[1] ?? '', ambiguous: a !== b };
    },
  },
  // October 10, 2025 · Oct. 10 2025 · Oct 10th, 2025
  { re: new RegExp(`(?<![\\p{L}])${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, 'iu'), read: (m) => ({ y: m[3] ?? '', m: String(MONTHS[(m[1] ?? '').toLowerCase()] ?? 0), d: m[2] ?? '' }) },
  // 10 October 2025 · 10th of Oct 2025 · 10 октября 2025 г.
  { re: new RegExp(`(?<![\\d])(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+(\\d{4})(?!\\d)`, 'iu'), read: (m) => ({ y: m[3] ?? '', m: String(MONTHS[(m[2] ?? '').toLowerCase()] ?? 0), d: m[1] ?? '' }) },
];

/** Words a date line may hold beside the date: labels, times, zones, weekdays, reading time. */
const DATE_LINE_NOISE = [
  /\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?(?!\w)/giu,
  /\b(?:gmt|utc|bst|cet|cest|eet|eest|msk|est|edt|cst|cdt|pst|pdt|ist|tjt)(?:\s?[+-]\s?\d{1,2}(?::?\d{2})?)?\b/giu,
  /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\b\.?/giu,
  /(?<![\p{L}])(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|опубликовано|обновлено|г\.)(?![\p{L}])/giu,
  /\b(?:first\s+)?(?:published|updated|posted|last|modified|released|issued|date|dated|on|at|am|pm|read|reading|time|min|mins|minute|minutes|ago)\b/giu,
  /\d+/gu,
];

/** "by" and up to five capitalised words: the writer named on a date line. */
const BY_NAME = /\bby\s+(\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|and|&|de|van|von|al)){0,5})/u;

/**
 * The first date in a text, as YYYY-MM-DD (null when ambiguous or not a real day), with the
 * text it was written as; undefined when the text holds no date.
 */
export function findDate(text: string): { date: string | null; written: string; index: number } | undefined {
  let best: { date: string | null; written: string; index: number } | undefined;
  for (const format of DATE_FORMATS) {
    const match = format.re.exec(text);
    if (!match || (best && best.index <= match.index)) continue;
    const { y, m, d, ambiguous } = format.read(match);
    best = { date: ambiguous ? null : calendarDay({ y, m, d }), written: match[0], index: match.index };
  }
  return best;
}

/**
 * Reads a line as a page's date line: a date with nothing much beside it but labels ("Published:",
 * "Updated"), a time, a zone, a weekday, a reading time or "by <name>". A sentence that mentions
 * a date ("The dam opened on October 10, 2025, after …") is no date line: undefined.
 */
export function readDateLine(text: string): DateLine | undefined {
  const found = findDate(text);
  if (!found) return undefined;
  let rest = text.slice(0, found.index) + ' ' + text.slice(found.index + found.written.length);
  const by = BY_NAME.exec(rest);
  if (by) rest = rest.replace(by[0], ' ');
  for (const noise of DATE_LINE_NOISE) rest = rest.replace(noise, ' ');
  const words = rest.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length > 1) return undefined;
  const updated = /(?<![\p{L}])(updated|modified|обновлено)(?![\p{L}])/iu.test(text.slice(0, found.index));
  return { date: found.date, written: found.written, updated, ...(by?.[1] ? { byline: by[1].trim() } : {}) };
}

/** YYYY-MM-DD for a day that exists in a plausible year, else null. */
function calendarDay(parts: { y: string; m: string; d: string }): string | null {
  const [year, month, day] = [Number(parts.y), Number(parts.m), Number(parts.d)];
  if (year < 1900 || year > 2100) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
