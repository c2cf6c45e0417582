import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/backend/backend.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { loadTestEmbedder, tempDir } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

describe('the storage seam', () => {
  it('is chosen from the configuration: PostgreSQL when DATABASE_URL is set, else the folder', () => {
    const files = chooseBackend({ indexDir: 'index' });
    expect(files.kind).toBe('files');
    expect(files.describe).toBe('INDEX_DIR=index');
    expect(files.watchReachability).toBeUndefined();
    const pg = chooseBackend({ indexDir: 'index', databaseUrl: 'postgresql://bot:s3cret-pass@db.example:5432/quotes' });
    expect(pg.kind).toBe('postgres');
    expect(pg.describe).not.toContain('s3cret-pass');
    expect(pg.secrets).toContain('s3cret-pass');
    expect(pg.watchReachability).toBeTypeOf('function');
  });

  it('outside store/ and the configuration, only the seam and the composition root read databaseUrl', async () => {
    const files = (await readdir('src', { recursive: true })).filter((f) => f.endsWith('.ts') && !f.startsWith('store/') && f !== 'app/config.ts');
    const naming = [];
    for (const f of files) if ((await readFile(join('src', f), 'utf8')).includes('databaseUrl')) naming.push(f);
    expect(naming.sort()).toEqual(['app/main.ts', 'backend/backend.ts']);
  });

  describe('the files backend, whole', () => {
    let embedder: Embedder;
    let index: Awaited<ReturnType<typeof tempDir>>;
    beforeAll(async () => {
      embedder = await loadTestEmbedder();
      index = await tempDir('quotes-backend-');
    });
    afterAll(async () => {
      await index?.cleanup();
      await embedder?.dispose();
    });

    it('builds, then finds itself up to date, opens the live build and names it', async () => {
      const backend = chooseBackend({ indexDir: index.dir });
      expect((await backend.freshness({ corpusDir: SEED_CORPUS, model: embedder.modelId })).current).toBe(false);
      const summary = await backend.build({ corpusDir: SEED_CORPUS, embedder });
      expect(summary?.articles).toBe(5);
      expect(await backend.freshness({ corpusDir: SEED_CORPUS, model: embedder.modelId })).toEqual({ current: true });
      const opened = await backend.open({ embedder });
      expect(opened.build).toBe(summary?.build);
      expect(await backend.live().current()).toBe(summary?.build);
      await opened.close();
    });
  });
});
