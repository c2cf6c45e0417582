import { appendFile, cp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embedding/embedder.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { checkIndexFreshness } from '../../src/indexer/freshness.js';
import { loadTestEmbedder, TEST_MODEL, tempDir } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

let embedder: Embedder;
let temp: { dir: string; cleanup: () => Promise<void> };
let corpusDir: string;
let indexDir: string;

beforeAll(async () => {
  embedder = await loadTestEmbedder();
  temp = await tempDir('freshness-');
  corpusDir = join(temp.dir, 'corpus');
  indexDir = join(temp.dir, 'index');
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
});
afterAll(async () => {
  await embedder?.dispose();
  await temp?.cleanup();
});

describe('checkIndexFreshness', () => {
  it('tells, in order, a missing index, a current one, another model, a changed and a removed article', async () => {
    expect(await checkIndexFreshness({ indexDir, corpusDir, model: TEST_MODEL })).toEqual({ current: false, reason: `no index in ${indexDir}` });

    await buildIndex({ corpusDir, indexDir, embedder });
    expect(await checkIndexFreshness({ indexDir, corpusDir, model: TEST_MODEL })).toEqual({ current: true });
    expect(await checkIndexFreshness({ indexDir, corpusDir, model: 'all-MiniLM-L6-v2' })).toEqual({
      current: false,
      reason: 'the index was built with test-tiny-bert, not Xenova/all-MiniLM-L6-v2',
    });

    const names = (await readdir(corpusDir)).filter((n) => n.endsWith('.md')).sort();
    const [changed, removed] = [names[0] ?? '', names[1] ?? ''];
    await appendFile(join(corpusDir, changed), '\nOne more sentence about trade.\n');
    await rm(join(corpusDir, removed));
    expect(await checkIndexFreshness({ indexDir, corpusDir, model: TEST_MODEL })).toEqual({
      current: false,
      reason: `the corpus changed (new or changed: ${changed.replace(/\.md$/, '')}; removed: ${removed.replace(/\.md$/, '')})`,
    });
  });
});
