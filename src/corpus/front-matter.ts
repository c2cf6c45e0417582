import { CorpusError } from '../errors.js';

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

const REQUIRED = ['title', 'outlet', 'event'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses one corpus file: a `---` fenced block of `key: value` lines (values are JSON strings,
 * `null`, or bare words) followed by the article body, which is kept byte for byte.
 */
export function parseArticle(options: { id: string; text: string }): Article {
  const { id, text } = options;
  const fence = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!fence) {
    throw new CorpusError(`${id}: missing front matter (the file must start with a --- block naming title, outlet and event)`);
  }
  const fields = new Map<string, string | null>();
  for (const [lineNo, line] of (fence[1] ?? '').split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([a-z_]+):\s*(.*)$/.exec(line);
    if (!match) throw new CorpusError(`${id}: front matter line ${lineNo + 2} is not "key: value": ${line}`);
    fields.set(match[1] ?? '', parseValue({ id, key: match[1] ?? '', raw: (match[2] ?? '').trim() }));
  }
  for (const key of REQUIRED) {
    if (!fields.get(key)) throw new CorpusError(`${id}: front matter needs a non-empty "${key}"`);
  }
  const date = fields.get('date') ?? null;
  if (date !== null && (!DATE.test(date) || Number.isNaN(Date.parse(date)))) {
    throw new CorpusError(`${id}: date must be YYYY-MM-DD or null, got "${date}"`);
  }
  const url = fields.get('url') ?? null;
  if (url !== null && !/^https?:\/\/\S+$/.test(url)) {
    throw new CorpusError(`${id}: url must start with http:// or https://, got "${url}"`);
  }
  const body = text.slice(fence[0].length);
  if (body.trim() === '') throw new CorpusError(`${id}: the article body is empty`);
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

function parseValue(options: { id: string; key: string; raw: string }): string | null {
  const { id, key, raw } = options;
  if (raw === '' || raw === 'null' || raw === '~') return null;
  if (raw.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'string') return value;
    } catch (cause) {
      throw new CorpusError(`${id}: front matter "${key}" is not a valid quoted string`, { cause });
    }
  }
  return raw;
}
