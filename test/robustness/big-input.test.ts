import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embedding/embedder.js';
import { CorpusError } from '../../src/core/errors.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { readCurrent } from '../../src/store/layout.js';
import { tempDir } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

let calls = 0;
/** Vectors at once and no model: the build around the embedder is what is measured. */
const instant: Embedder = {
  modelId: 'instant',
  dimensions: 4,
  embed: async (texts) => {
    calls += texts.length;
    return texts.map(() => Float32Array.from([1, 0, 0, 0]));
  },
  dispose: async () => undefined,
};
let corpusDir: string;
let indexDir: string;
let cleanups: Array<() => Promise<void>> = [];
beforeEach(async () => {
  calls = 0;
  const corpus = await tempDir('corpus-');
  const index = await tempDir('index-');
  cleanups = [corpus.cleanup, index.cleanup];
  corpusDir = corpus.dir;
  indexDir = index.dir;
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
});
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
});
const firstArticle = async (): Promise<string> => join(corpusDir, (await readdir(corpusDir)).filter((n) => n.endsWith('.md')).sort()[0] ?? '');

describe('#7 big input: one huge article', () => {
  /** An article of at least `bytes`, made of the first corpus article's text with varied names. */
  const hugeArticle = async (bytes: number): Promise<string> => {
    const source = await readFile(await firstArticle(), 'utf8');
    const [, frontMatter = '', body = ''] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(source) ?? [];
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < bytes; i++) {
      const part = body.replace(/Putin/g, `Putin${i}`);
      parts.push(part);
      length += Buffer.byteLength(part);
    }
    return `${frontMatter}${parts.join('\n')}`;
  };

  it('a 12 MB article is refused with its file name and the limit, before anything is embedded', async () => {
    await writeFile(join(corpusDir, 'huge.md'), await hugeArticle(12 * 1024 * 1024));
    const error = await buildIndex({ corpusDir, indexDir, embedder: instant }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).message).toMatch(/^huge\.md: 12,\d{3},\d{3} bytes, over the limit of 1,048,576 bytes per article/);
    expect(calls).toBe(0);
    expect(await readCurrent(indexDir)).toBeUndefined();
  });

  it('an article under the limit made of 260,000 very short sentences builds, and is reused, without overflowing the stack', async () => {
    await writeFile(join(corpusDir, 'dense.md'), `---\ntitle: T\noutlet: O\nevent: E\n---\n${'Up. Go. '.repeat(130_000)}\n`);
    const first = await buildIndex({ corpusDir, indexDir, embedder: instant });
    expect(first.sentences).toBeGreaterThan(260_000);
    // Reusing every item of the article in the next build must not overflow either.
    expect(await buildIndex({ corpusDir, indexDir, embedder: instant })).toMatchObject({ reusedArticles: 6 });
  }, 60_000);
});