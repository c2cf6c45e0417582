import { CorpusError } from '../core/errors.js';

/** An article as stored in `corpus/`: metadata from the front matter, body verbatim. */
export interface Article {
  id: string;
  title: string;
  outlet: string;
  /** YYYY-MM-DD or null when the article gives no exact date. */
  date: string | null;
  byline: string | null;
  url: string | null;
  /** The news event the article covers, e.g. "October 2025 visit". */
  event: string;
  /** The article text exactly as published; every offset in the index points into it. */
  body: string;
}

/** Every key the front matter may hold; `date_note` explains an uncertain date to editors. */
export const FRONT_MATTER_KEYS = ['title', 'outlet', 'date', 'date_note', 'byline', 'url', 'event'] as const;
type Key = (typeof FRONT_MATTER_KEYS)[number];

const REQUIRED: readonly Key[] = ['title', 'outlet', 'event'];

/**
 * Longest value of each key, in UTF-16 units as Telegram counts them. Titles, outlets and event
 * labels are shown in replies (/start and /help name the events): bounded here, a reply stays
 * under Telegram's 4,096 characters whatever the corpus holds.
 */
export const MAX_FIELD_CHARS: Readonly<Record<Key, number>> = Object.freeze({
  title: 300,
  outlet: 80,
  date: 10,
  date_note: 1000,
  byline: 200,
  url: 2000,
  event: 60,
});
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses one corpus file: a `---` fenced block of `key: value` lines followed by the article
 * body, which is kept byte for byte. A value is a double-quoted (JSON) or single-quoted string,
 * `null`, or plain text, and may be followed by a `# comment`. A byte-order mark before the
 * first fence is ignored.
 *
 * This is deliberately not YAML: anchors, aliases, tags, block and flow values are refused
 * rather than read literally, and so are unknown (misspelt) and repeated keys, so a typo never
 * silently leaves an article undated. Every problem of the file is reported at once, in one
 * line that starts with the file name.
 * @param options.file name used in messages @default `${id}.md`
 */
export function parseArticle(options: { id: string; text: string; file?: string }): Article {
  const { id, file = `${id}.md` } = options;
  const text = options.text.startsWith('\uFEFF') ? options.text.slice(1) : options.text;
  const fence = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(text);
  if (!fence) {
    throw new CorpusError(`${file}: missing front matter (the file must start with a --- block naming title, outlet and event)`);
  }
  const problems: string[] = [];
  const fields = readFields({ block: fence[1] ?? '', problems });
  for (const key of REQUIRED) {
    if (!fields.get(key)) problems.push(`front matter needs a non-empty "${key}"`);
  }
  const date = fields.get('date') ?? null;
  if (date !== null && !isCalendarDate(date)) problems.push(`date must be a real day as YYYY-MM-DD, or null, got "${date}"`);
  const url = fields.get('url') ?? null;
  if (url !== null && !/^https?:\/\/\S+$/.test(url)) problems.push(`url must start with http:// or https://, got "${url}"`);
  const body = text.slice(fence[0].length);
  if (body.trim() === '') problems.push('the article body is empty');
  if (problems.length > 0) throw new CorpusError(`${file}: ${problems.join('; ')}`);
  return {
    id,
    title: fields.get('title') ?? '',
    outlet: fields.get('outlet') ?? '',
    date,
    byline: fields.get('byline') ?? null,
    url,
    event: fields.get('event') ?? '',
    body,
  };
}

/** The fields of a front-matter block; problems are collected, not thrown. */
function readFields(options: { block: string; problems: string[] }): Map<Key, string | null> {
  const { block, problems } = options;
  const fields = new Map<Key, string | null>();
  const seenOn = new Map<string, number>();
  for (const [index, line] of block.split(/\r?\n/).entries()) {
    const lineNo = index + 2;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (!match) {
      problems.push(`front matter line ${lineNo} is not "key: value" (each value on one line): ${line.slice(0, 80)}`);
      continue;
    }
    const key = match[1] ?? '';
    const previous = seenOn.get(key);
    if (previous !== undefined) {
      problems.push(`front matter repeats "${key}" (lines ${previous} and ${lineNo}); keep one`);
      continue;
    }
    seenOn.set(key, lineNo);
    if (!isKnownKey(key)) {
      const guess = closestKey(key);
      problems.push(`front matter key "${key}" is not known${guess ? ` (did you mean "${guess}"?)` : ''}; keys are ${FRONT_MATTER_KEYS.join(', ')}`);
      continue;
    }
    const value = parseValue({ key, raw: (match[2] ?? '').trim(), problems });
    const unsafe = value ? unsafeCharacter(value) : undefined;
    if (unsafe) {
      problems.push(`front matter "${key}" holds ${unsafe}, which Telegram refuses or shows misleadingly; remove it`);
      continue;
    }
    if (value && value.length > MAX_FIELD_CHARS[key]) {
      problems.push(`front matter "${key}" is ${value.length} characters long; at most ${MAX_FIELD_CHARS[key]}`);
      continue;
    }
    if (value !== undefined) fields.set(key, value);
  }
  return fields;
}

/**
 * The first character of a value (after unescaping) that must not reach a reply, described with
 * its code point: a control character, a lone surrogate (Telegram refuses the whole message as
 * not UTF-8), a bidirectional control (U+202A–U+202E, U+2066–U+2069 reorder what follows, so
 * "SRETUER" shows as "REUTERS") or an invisible zero-width character.
 */
export function unsafeCharacter(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `a lone surrogate (${hex})`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return `a lone surrogate (${hex})`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${hex})`;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f || code === 0x061c) return `a bidirectional control (${hex})`;
    if ((code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff || code === 0x00ad) return `an invisible zero-width character (${hex})`;
  }
  return undefined;
}

/** What YAML would do with a value that starts with these, which this parser does not. */
const YAML_SYNTAX: Record<string, string> = {
  '&': 'an anchor',
  '*': 'an alias',
  '!': 'a tag',
  '|': 'a block value',
  '>': 'a folded block value',
  '[': 'a list',
  '{': 'a mapping',
  '%': 'a directive',
  '@': 'a reserved character',
  '`': 'a reserved character',
};

/** A value, null, or undefined when it is unusable (the problem is recorded). */
function parseValue(options: { key: string; raw: string; problems: string[] }): string | null | undefined {
  const { key, raw, problems } = options;
  const first = raw[0] ?? '';
  if (first === '"') {
    const quoted = /^("(?:[^"\\]|\\.)*")\s*(?:#.*)?$/.exec(raw);
    try {
      const value: unknown = quoted ? JSON.parse(quoted[1] ?? '') : undefined;
      if (typeof value === 'string') return value;
    } catch {
      // Reported below.
    }
    problems.push(`front matter "${key}" is not a valid double-quoted string`);
    return undefined;
  }
  if (first === "'") {
    const quoted = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(raw);
    if (quoted) return (quoted[1] ?? '').replace(/''/g, "'");
    problems.push(`front matter "${key}" is not a valid single-quoted string`);
    return undefined;
  }
  const syntax = YAML_SYNTAX[first];
  if (syntax) {
    problems.push(`front matter "${key}" starts with ${syntax} ("${first}"), YAML syntax this project does not read; write the value out in full, in double quotes`);
    return undefined;
  }
  const plain = raw.replace(/(^|\s+)#.*$/, '').trim();
  return plain === '' || plain === 'null' || plain === 'Null' || plain === 'NULL' || plain === '~' ? null : plain;
}

function isKnownKey(key: string): key is Key {
  return (FRONT_MATTER_KEYS as readonly string[]).includes(key);
}

/** The known key one or two edits away (a typo, a case slip), if there is exactly one. */
function closestKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const near = FRONT_MATTER_KEYS.filter((k) => k === lower || editDistance(k, lower) <= 2);
  return near.length === 1 ? near[0] : near.find((k) => k === lower);
}

/** Optimal string alignment distance: adjacent swaps ("daet") count as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/** True for YYYY-MM-DD naming a day that exists (no 2025-02-30, no month 13). */
function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
