import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineConfig } from '../../src/app/config.js';
import { loadCorpus } from '../../src/ingest/load.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { createEngineFromConfig, loadEngine } from '../../src/app/serving/load-engine.js';
import { createEngineHolder } from '../../src/app/serving/engine-holder.js';
import { IndexError, isExpectedError } from '../../src/core/errors.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { digestFile, digestFileOffThread, sealManifest } from '../../src/store/checksums.js';
import { checkIndexFreshness } from '../../src/indexer/freshness.js';
import { BUILDS_DIR, MANIFEST_FILE, readCurrent, writeCurrent } from '../../src/store/layout.js';
import { readBuild, readLiveBuild } from '../../src/store/read.js';
import { createRng } from '../../tools/fuzz.js';
import { loadTestEmbedder, tempDir, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const QUESTION = 'How much trade did Russia do with Central Asia last year?';
let embedder: Embedder;
let root: Awaited<ReturnType<typeof tempDir>>;
/** A good index of the real corpus, copied for each test that damages one. */
let pristine: string;
let bodies: Map<string, string>;
let copies = 0;

beforeAll(async () => {
  embedder = await loadTestEmbedder();
  root = await tempDir('checksums-');
  pristine = join(root.dir, 'pristine');
  await buildIndex({ corpusDir: SEED_CORPUS, indexDir: pristine, embedder });
  bodies = new Map((await loadCorpus({ dir: SEED_CORPUS })).map((a) => [a.id, a.body]));
});
afterAll(async () => {
  await embedder?.dispose();
  await root?.cleanup();
});

async function copyIndex(): Promise<{ indexDir: string; build: string; folder: string }> {
  const indexDir = join(root.dir, `index-${++copies}`);
  await cp(pristine, indexDir, { recursive: true });
  const build = (await readCurrent(indexDir)) ?? '';
  return { indexDir, build, folder: join(indexDir, BUILDS_DIR, build) };
}

/** Every stored text of the live build is the article's text at its offsets. */
async function expectQuotesAreTheCorpus(indexDir: string): Promise<void> {
  const { items } = await readLiveBuild(indexDir);
  // Chunks and sentences store their text; the other views only offsets.
  for (const { metadata: m } of items) if (m.kind === 'chunk' || m.kind === 'sentence') expect(m.text, m.articleId).toBe(bodies.get(m.articleId)?.slice(m.start, m.end));
}

const to95 = async (folder: string) => {
  const path = join(folder, 'index.json');
  const text = await readFile(path, 'utf8');
  expect(text).toContain('$45 billion');
  await writeFile(path, text.replaceAll('$45 billion', '$95 billion'));
};

describe('#2 the index is trusted blindly', () => {
  it('"$45 billion" edited to "$95 billion" in index.json: refused at start in one line, kept out by a hot reload, rebuilt by --if-stale, never copied into the next build', async () => {
    const { indexDir, folder } = await copyIndex();
    await to95(folder);
    // Start-up refuses it with one line.
    const config = parseEngineConfig({ MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: indexDir });
    const error = await createEngineFromConfig({ config }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/^the index in .* does not match its manifest: index\.json differs from the checksum recorded when it was built \(damaged or edited\); rebuild with npm run build-index$/);
    // --if-stale does not call it up to date.
    const freshness = await checkIndexFreshness({ indexDir, corpusDir: SEED_CORPUS, model: TEST_MODEL });
    expect(freshness).toMatchObject({ current: false, reason: expect.stringMatching(/differs from (its|the) checksum/) });
    // The next build embeds everything again and quotes only the corpus.
    const summary = await buildIndex({ corpusDir: SEED_CORPUS, indexDir, embedder });
    expect(summary).toMatchObject({ embeddedArticles: 5, reusedArticles: 0 });
    await expectQuotesAreTheCorpus(indexDir);
    expect(await readFile(join(indexDir, BUILDS_DIR, summary.build, 'index.json'), 'utf8')).not.toContain('$95 billion');
  });

  it('a hot reload onto the edited index keeps serving the old one, which still says $45 billion', async () => {
    const { indexDir, build, folder } = await copyIndex();
    const initial = await loadEngine({ indexDir, embedder });
    const holder = createEngineHolder({ initial, indexDir, embedder });
    const edited = '20990101-000000-edited';
    await cp(folder, join(indexDir, BUILDS_DIR, edited), { recursive: true });
    await to95(join(indexDir, BUILDS_DIR, edited));
    await writeCurrent({ indexDir, build: edited });
    const result = await holder.reload();
    expect(result).toMatchObject({ status: 'failed', build });
    expect(isExpectedError(result.status === 'failed' ? result.error : undefined)).toBe(true);
    const answer = await holder.current.answer(QUESTION);
    expect(JSON.stringify(answer)).toContain('$45 billion');
    expect(JSON.stringify(answer)).not.toContain('$95 billion');
  });

  it('an edit with its checksums recorded again (a deliberate forgery) still never reaches the next build', async () => {
    const { indexDir, folder } = await copyIndex();
    await to95(folder);
    const path = join(folder, MANIFEST_FILE);
    const { integrity: _old, ...manifest } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify(sealManifest({ manifest, files: { 'index.json': await digestFile(join(folder, 'index.json')), 'lexicon.json': await digestFile(join(folder, 'lexicon.json')) } })));
    const summary = await buildIndex({ corpusDir: SEED_CORPUS, indexDir, embedder });
    // Only the edited articles are embedded again: their stored text differs from their file.
    const edited = [...bodies.values()].filter((body) => body.includes('$45 billion')).length;
    expect(edited).toBeGreaterThan(0);
    expect(summary).toMatchObject({ embeddedArticles: edited, reusedArticles: 5 - edited });
    await expectQuotesAreTheCorpus(indexDir);
  });

  it('of 300 random bit flips in index.json and 200 in the manifest, none loads with different content', async () => {
    const { indexDir, build, folder } = await copyIndex();
    const original = await readBuild({ indexDir, build });
    const rng = createRng(2026);
    const outcomes = { refused: 0, identical: 0, different: [] as string[] };
    for (const [file, flips] of [['index.json', 300], [MANIFEST_FILE, 200]] as const) {
      const path = join(folder, file);
      const bytes = await readFile(path);
      for (let i = 0; i < flips; i++) {
        const at = rng.int(bytes.length);
        const bit = 1 << rng.int(8);
        const flipped = Buffer.from(bytes);
        flipped[at] = (flipped[at] ?? 0) ^ bit;
        await writeFile(path, flipped);
        try {
          const loaded = await readBuild({ indexDir, build });
          if (JSON.stringify(loaded) === JSON.stringify(original)) outcomes.identical++;
          else outcomes.different.push(`${file} byte ${at} bit ${bit}`);
        } catch (error) {
          expect(isExpectedError(error), String(error)).toBe(true);
          expect((error as Error).message).not.toContain('\n');
          outcomes.refused++;
        }
      }
      await writeFile(path, bytes);
    }
    expect(outcomes.different).toEqual([]);
    // Flips in the manifest's indentation leave the same JSON; everything else is refused.
    expect(outcomes.refused).toBeGreaterThan(480);
  }, 60_000);
});

describe('hashing on another thread', () => {
  it('gives the same digest as on this one, and fails for a missing file', async () => {
    const { dir, cleanup } = await tempDir('digest-');
    try {
      const path = join(dir, 'file.bin');
      await writeFile(path, Buffer.alloc(9 * 1024 * 1024, 7));
      expect(await digestFileOffThread(path)).toBe(await digestFile(path));
      await expect(digestFileOffThread(join(dir, 'missing.bin'))).rejects.toThrow();
    } finally {
      await cleanup();
    }
  });
});
