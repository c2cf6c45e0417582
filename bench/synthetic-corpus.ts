import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanArticle } from '../src/ingest/clean.js';
import { loadCorpus, type LoadedArticle } from '../src/ingest/load.js';
import { splitSentences } from '../src/ingest/sentences.js';
import { seededRandom } from '../src/core/random.js';

/** What synthetic articles are made from: real sentences, real paragraph shapes, real metadata. */
export interface SentencePool {
  sentences: string[];
  /** Per real article, the number of sentences in each kept paragraph. */
  shapes: number[][];
  templates: Array<Pick<LoadedArticle, 'title' | 'outlet' | 'date' | 'byline' | 'event'>>;
}

export interface SyntheticFile {
  /** File name in the corpus folder, e.g. `synthetic-00042.md`. */
  name: string;
  text: string;
}

/** Collects the sentences and paragraph shapes of the kept text of real articles. */
export function sentencePool(articles: readonly LoadedArticle[]): SentencePool {
  const sentences: string[] = [];
  const shapes: number[][] = [];
  const templates: SentencePool['templates'] = [];
  for (const article of articles) {
    const shape: number[] = [];
    for (const block of cleanArticle({ body: article.body, title: article.title }).blocks) {
      const found = splitSentences({ text: block.text }).map((s) => block.text.slice(s.start, s.end));
      if (found.length === 0) continue;
      sentences.push(...found);
      shape.push(found.length);
    }
    if (shape.length === 0) continue;
    shapes.push(shape);
    templates.push({ title: article.title, outlet: article.outlet, date: article.date, byline: article.byline, event: article.event });
  }
  return { sentences, shapes, templates };
}

/**
 * Makes `count` articles of the corpus format from real sentences. Article i copies the
 * paragraph shape and metadata of real article i mod n and fills each paragraph with sentences
 * drawn by a generator seeded from (seed, i): the same seed gives the same files, and a smaller
 * corpus is the first articles of a larger one.
 */
export function makeSyntheticArticles(options: { pool: SentencePool; count: number; seed?: number }): SyntheticFile[] {
  const { pool, count, seed = 1 } = options;
  if (pool.sentences.length === 0 || pool.templates.length === 0) throw new Error('the sentence pool is empty');
  const files: SyntheticFile[] = [];
  for (let i = 0; i < count; i++) {
    const random = seededRandom(mixSeed(seed, i));
    const template = pool.templates[i % pool.templates.length];
    const shape = pool.shapes[i % pool.shapes.length];
    if (!template || !shape) continue;
    const paragraphs = shape.map((size) =>
      Array.from({ length: size }, () => pool.sentences[Math.floor(random() * pool.sentences.length)] ?? '').join(' '),
    );
    const number = String(i + 1).padStart(5, '0');
    const frontMatter = [
      '---',
      `title: ${JSON.stringify(`${template.title} (synthetic ${number})`)}`,
      `outlet: ${JSON.stringify(template.outlet)}`,
      `date: ${template.date ?? 'null'}`,
      `byline: ${template.byline === null ? 'null' : JSON.stringify(template.byline)}`,
      'url: null',
      `event: ${JSON.stringify(template.event)}`,
      '---',
    ].join('\n');
    files.push({ name: `synthetic-${number}.md`, text: `${frontMatter}\n${paragraphs.join('\n\n')}\n` });
  }
  return files;
}

/** Writes a synthetic corpus of `count` articles made from the corpus in `sourceDir`. */
export async function writeSyntheticCorpus(options: { sourceDir: string; outDir: string; count: number; seed?: number }): Promise<number> {
  const { sourceDir, outDir, count, seed } = options;
  const pool = sentencePool(await loadCorpus({ dir: sourceDir }));
  const files = makeSyntheticArticles({ pool, count, ...(seed !== undefined ? { seed } : {}) });
  await mkdir(outDir, { recursive: true });
  for (const file of files) await writeFile(join(outDir, file.name), file.text);
  return files.length;
}

function mixSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}
