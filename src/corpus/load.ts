import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../errors.js';
import { parseArticle, type Article } from './front-matter.js';

/** An article plus the hash of its file, which decides whether a rebuild must re-embed it. */
export interface LoadedArticle extends Article {
  hash: string;
}

/**
 * The largest article file accepted: 1 MiB, some twenty times a long news article. Keeps one
 * file from holding up a build or a reload for minutes, and says so instead of failing later.
 */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

/**
 * Reads every `*.md` file of a corpus folder, in name order. A file that cannot be parsed
 * stops the load with a message naming it: a half-indexed corpus would answer silently wrong.
 */
export async function loadCorpus(options: { dir: string; maxArticleBytes?: number }): Promise<LoadedArticle[]> {
  const { dir, maxArticleBytes = MAX_ARTICLE_BYTES } = options;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.md') && !name.startsWith('.'));
  } catch (cause) {
    throw new CorpusError(`cannot read the corpus folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  if (names.length === 0) throw new CorpusError(`the corpus folder ${dir} has no .md articles`);
  names.sort();
  const articles: LoadedArticle[] = [];
  for (const name of names) {
    const { size } = await stat(join(dir, name));
    if (size > maxArticleBytes) {
      throw new CorpusError(`${name}: ${size.toLocaleString('en')} bytes, over the limit of ${maxArticleBytes.toLocaleString('en')} bytes per article; split it or remove what is not article text`);
    }
    const text = await readFile(join(dir, name), 'utf8');
    const id = name.slice(0, -'.md'.length);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
      throw new CorpusError(`${name}: article file names must be lower-case letters, digits and dashes`);
    }
    articles.push({ ...parseArticle({ id, text }), hash: createHash('sha256').update(text).digest('hex') });
  }
  return articles;
}
