import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../core/errors.js';
import type { CorpusAbout } from '../core/types.js';

/** The corpus's description of itself, beside the articles. */
export const ABOUT_FILE = 'about.json';

/** What a corpus without a description says of itself. */
export const GENERIC_ABOUT: Readonly<CorpusAbout> = Object.freeze({
  description: { en: 'the news articles in this collection' },
  topics: { en: 'what the articles report' },
  examples: { en: [] },
});

/**
 * Reads `about.json` of a corpus folder: what the corpus covers and example questions, per
 * language (English required). /start, /help, "not covered" and the terminal chat say it, so
 * the same program serves another corpus with its own words. A missing file gives a generic
 * description; a malformed one is a CorpusError naming what is wrong.
 */
export async function loadCorpusAbout(dir: string): Promise<CorpusAbout> {
  const path = join(dir, ABOUT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return GENERIC_ABOUT;
    throw new CorpusError(`${ABOUT_FILE}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CorpusError(`${ABOUT_FILE}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  return parseCorpusAbout(json, ABOUT_FILE);
}

/** A digest of the description, so an edit to it makes the index stale like an edited article. */
export function aboutHash(about: CorpusAbout): string {
  return createHash('sha256').update(JSON.stringify(about)).digest('hex');
}

/** Checks the shape: `description`, `topics` (texts) and `examples` (lists) keyed by language, with `en`. */
export function parseCorpusAbout(json: unknown, where: string): CorpusAbout {
  const value = json as Partial<Record<keyof CorpusAbout, unknown>> | null;
  const texts = (v: unknown): v is Record<string, string> => typeof v === 'object' && v !== null && Object.values(v).every((t) => typeof t === 'string' && t.trim() !== '') && typeof (v as Record<string, unknown>).en === 'string';
  const lists = (v: unknown): v is Record<string, string[]> =>
    typeof v === 'object' && v !== null && Object.values(v).every((l) => Array.isArray(l) && l.every((q) => typeof q === 'string' && q.trim() !== '')) && Array.isArray((v as Record<string, unknown>).en);
  const problems = [
    !texts(value?.description) ? '"description" must map languages ("en" at least) to a text' : '',
    !texts(value?.topics) ? '"topics" must map languages ("en" at least) to a text' : '',
    !lists(value?.examples) ? '"examples" must map languages ("en" at least) to lists of questions' : '',
  ].filter(Boolean);
  if (problems.length > 0 || !value) throw new CorpusError(`${where}: ${problems.join('; ')}`);
  return { description: value.description as Record<string, string>, topics: value.topics as Record<string, string>, examples: value.examples as Record<string, string[]> };
}
