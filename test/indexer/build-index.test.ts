import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalIndex } from 'vectra';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embedding/embedder.js';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import { IndexError } from '../../src/core/errors.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { BUILDS_DIR, readCurrent } from '../../src/store/layout.js';
import { readLiveBuild } from '../../src/store/read.js';
import { loadTestEmbedder, tempDir } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

let embedder: Embedder;
let calls: number;
let counting: Embedder;
let corpusDir: string;
let indexDir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  embedder = await loadTestEmbedder();
  counting = {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    embed: async (texts, options) => {
      calls += texts.length;
      return embedder.embed(texts, options);
    },
    dispose: async () => undefined,
  };
});
afterAll(async () => {
  await embedder.dispose();
  for (const c of cleanups) await c();
});
beforeEach(async () => {
  calls = 0;
  const corpus = await tempDir('corpus-');
  const index = await tempDir('index-');
  cleanups.push(corpus.cleanup, index.cleanup);
  corpusDir = corpus.dir;
  indexDir = index.dir;
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
});

const build = (extra: Partial<Parameters<typeof buildIndex>[0]> = {}) => buildIndex({ corpusDir, indexDir, embedder: counting, ...extra });
const firstArticle = async (): Promise<string> => join(corpusDir, (await readdir(corpusDir)).filter((n) => n.endsWith('.md')).sort()[0] ?? '');

describe('buildIndex', () => {
  it('writes a vectra index and a manifest that describe the corpus', async () => {
    const summary = await build();
    expect(summary).toMatchObject({ articles: 5, embeddedArticles: 5, reusedArticles: 0 });
    const live = await readLiveBuild(indexDir);
    expect(live.manifest).toMatchObject({ modelId: 'test-tiny-bert', dimensions: embedder.dimensions, counts: { articles: 5 } });
    expect(live.manifest.chunking).toEqual({ maxChars: 600, overlapSentences: 1 });
    for (const a of live.manifest.articles) expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    // vectra itself can open and query what we wrote.
    const vectra = new LocalIndex(join(indexDir, BUILDS_DIR, live.build));
    const [query] = await embedder.embed(['Who founded BTK Group?']);
    const hits = await vectra.queryItems(Array.from(query ?? []), '', 3);
    expect(hits).toHaveLength(3);
    expect(hits[0]?.item.metadata).toHaveProperty('articleId');
    const chunk = live.items.find((i) => i.metadata.kind === 'chunk');
    expect(chunk?.metadata).toEqual(expect.objectContaining({ title: expect.any(String), outlet: expect.any(String), start: expect.any(Number), end: expect.any(Number), text: expect.any(String) }));
  });

  it("stores no page furniture the seed articles carry as a sentence a quote could show: the wire's credit, the dated byline, a who-is-pictured caption", async () => {
    await build();
    const live = await readLiveBuild(indexDir);
    const stored = live.items.map((i) => String(i.metadata.text));
    expect(stored.some((t) => t.includes('Trevelyan'))).toBe(false);
    for (const furniture of ['Reporting by Reuters', 'By bne IntelliNews October 10, 2025', 'Rahmon in Dushanbe yesterday']) {
      expect(stored.some((t) => t.includes(furniture)), furniture).toBe(false);
    }
    // What those articles state around them is still there.
    expect(stored.some((t) => t.includes('Putin with Tajik counterpart Rahmon.'))).toBe(true);
  });

  it('re-embeds nothing when nothing changed', async () => {
    await build();
    calls = 0;
    const summary = await build();
    expect(summary).toMatchObject({ embeddedArticles: 0, reusedArticles: 5 });
    expect(calls).toBe(0);
  });

  it('re-embeds only a changed article, adds a new one and drops a removed one', async () => {
    await build();
    const first = await firstArticle();
    await writeFile(first, `${await readFile(first, 'utf8')}\nA new closing sentence was added by the editor.\n`);
    await writeFile(join(corpusDir, 'zz-added-article.md'), '---\ntitle: Added\noutlet: Added Outlet\nevent: "October 2025 visit"\n---\nA newly added article reports that rail freight through Kazakhstan grew last year.\n');
    const last = join(corpusDir, (await readdir(corpusDir)).sort().filter((n) => n !== 'zz-added-article.md').at(-1) ?? '');
    await rm(last);
    calls = 0;
    const summary = await build();
    expect(summary).toMatchObject({ articles: 5, embeddedArticles: 2, reusedArticles: 3 });
    expect(summary.removedArticles).toHaveLength(1);
    const live = await readLiveBuild(indexDir);
    expect(live.manifest.articles.map((a) => a.id)).toContain('zz-added-article');
    expect(live.items.some((i) => i.metadata.articleId === summary.removedArticles[0])).toBe(false);
    expect(live.items.some((i) => String(i.metadata.text ?? '').includes('A new closing sentence was added'))).toBe(true);
  });

  it('a crash before the switch leaves the previous index live and loadable; the next build succeeds', async () => {
    await build();
    const before = await readCurrent(indexDir);
    await writeFile(await firstArticle(), '---\ntitle: T\noutlet: O\nevent: E\n---\nEntirely new text about trade.\n');
    await expect(build({ beforeSwitch: async () => Promise.reject(new Error('power cut')) })).rejects.toThrow('power cut');
    expect(await readCurrent(indexDir)).toBe(before);
    expect((await readdir(join(indexDir, BUILDS_DIR))).length).toBe(1);
    const { engine } = await loadEngine({ indexDir, embedder });
    expect((await engine.answer('Who founded BTK Group?')).answered).toBe(true);
    const summary = await build();
    expect(await readCurrent(indexDir)).toBe(summary.build);
  });

  it('a failing embedder leaves the previous index live', async () => {
    await build();
    const before = await readCurrent(indexDir);
    await writeFile(await firstArticle(), '---\ntitle: T\noutlet: O\nevent: E\n---\nChanged text.\n');
    const broken: Embedder = { ...counting, embed: async () => Promise.reject(new Error('out of memory')) };
    await expect(buildIndex({ corpusDir, indexDir, embedder: broken })).rejects.toThrow('out of memory');
    expect(await readCurrent(indexDir)).toBe(before);
    await expect(readLiveBuild(indexDir)).resolves.toBeDefined();
  });

  it('an embedder that returns a bad vector in a later batch stops the build with the model named; the previous index stays live', async () => {
    await build();
    const before = await readCurrent(indexDir);
    await writeFile(await firstArticle(), `---\ntitle: T\noutlet: O\nevent: E\n---\n${'A sentence about trade. '.repeat(120)}\n`);
    let batches = 0;
    const faulty: Embedder = {
      ...counting,
      embed: async (texts, options) => {
        const vectors = await embedder.embed(texts, options);
        return ++batches === 2 ? vectors.map((v, i) => (i === 0 ? v.subarray(1) : v)) : vectors;
      },
    };
    await expect(buildIndex({ corpusDir, indexDir, embedder: faulty })).rejects.toThrow(/test-tiny-bert returned a vector of \d+ numbers .*previous index is unchanged/);
    expect(batches).toBe(2);
    expect(await readCurrent(indexDir)).toBe(before);
    const { engine } = await loadEngine({ indexDir, embedder });
    expect((await engine.answer('Who founded BTK Group?')).answered).toBe(true);
  });

  it('an unwritable INDEX_DIR is a clear error', async () => {
    const file = join(indexDir, 'not-a-folder');
    await writeFile(file, 'x');
    await expect(buildIndex({ corpusDir, indexDir: file, embedder: counting })).rejects.toThrow(/cannot write to INDEX_DIR=/);
  });

  it('a bad corpus file stops the build with its name and keeps the old index', async () => {
    await build();
    const before = await readCurrent(indexDir);
    await writeFile(join(corpusDir, 'broken.md'), 'no front matter here');
    await expect(build()).rejects.toThrow(/^broken\.md: missing front matter/);
    expect(await readCurrent(indexDir)).toBe(before);
  });

  it('a lock left by a dead build does not block the next one', async () => {
    await writeFile(join(indexDir, '.build.lock'), '999999999');
    await expect(build()).resolves.toMatchObject({ articles: 5 });
  });
});

describe('loading', () => {
  it('refuses an index built with another model, naming both', async () => {
    await build();
    const other: Embedder = { ...counting, modelId: 'Xenova/all-MiniLM-L6-v2', dimensions: 384 };
    await expect(loadEngine({ indexDir, embedder: other })).rejects.toThrow(IndexError);
    await expect(loadEngine({ indexDir, embedder: other })).rejects.toThrow(/built with test-tiny-bert .* but EMBEDDING_MODEL is Xenova\/all-MiniLM-L6-v2/);
  });

  it('a missing index says to run build-index', async () => {
    await expect(loadEngine({ indexDir, embedder })).rejects.toThrow(/no index in INDEX_DIR=.*run npm run build-index first/);
  });

  it('a truncated index file is reported as damaged', async () => {
    await build();
    const live = await readLiveBuild(indexDir);
    const file = join(indexDir, BUILDS_DIR, live.build, 'index.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.length / 2));
    await expect(loadEngine({ indexDir, embedder })).rejects.toThrow(/differs from the checksum recorded when it was built \(damaged or edited\); rebuild with npm run build-index/);
  });

  it('a changed model switches off reuse: everything is embedded again', async () => {
    await build();
    calls = 0;
    const renamed: Embedder = { ...counting, modelId: 'another-model' };
    const summary = await buildIndex({ corpusDir, indexDir, embedder: renamed });
    expect(summary.embeddedArticles).toBe(5);
  });
});

describe('articles without indexable text', () => {
  it('an article that is all clutter stops the build with its name', async () => {
    await writeFile(join(corpusDir, 'only-clutter.md'), '---\ntitle: T\noutlet: O\nevent: E\n---\nMost Popular\n\nDismiss\n');
    await expect(build()).rejects.toThrow(/^only-clutter\.md: no article text is left/);
  });
});


