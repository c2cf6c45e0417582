import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineHolder, type EngineHolder, type ReloadResult } from '../../../src/app/serving/engine-holder.js';
import type { LiveIndex } from '../../../src/backend/live-index.js';
import type { AnswerEngine } from '../../../src/core/types.js';
import { buildIndex } from '../../../src/indexer/build-index.js';
import { readCurrent, writeCurrent } from '../../../src/store/layout.js';
import { createTestEngine } from '../../support/engine.js';
import { SEED_CORPUS } from '../../support/seed-corpus.js';

describe('engine holder', () => {
  let fixture: Awaited<ReturnType<typeof createTestEngine>>;
  let holder: EngineHolder;

  beforeAll(async () => {
    fixture = await createTestEngine();
    holder = createEngineHolder({ initial: { engine: fixture.engine, build: fixture.build }, indexDir: fixture.indexDir, embedder: fixture.embedder });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('reports an unchanged index without swapping', async () => {
    const before = holder.current;
    expect(await holder.reload()).toEqual({ status: 'unchanged', build: fixture.build });
    expect(holder.current).toBe(before);
  });

  it('keeps serving the old engine when the new index is invalid', async () => {
    const before = holder.current;
    await writeCurrent({ indexDir: fixture.indexDir, build: 'missing-build' });
    const result = await holder.reload();
    expect(result.status).toBe('failed');
    expect(result.build).toBe(fixture.build);
    expect(holder.current).toBe(before);
    expect((await holder.current.answer('Who founded BTK Group?')).answered).toBe(true);
    await writeCurrent({ indexDir: fixture.indexDir, build: fixture.build });
  });

  it('picks up a rebuilt index through the file watch, and rejects a broken one', async () => {
    const results: ReloadResult[] = [];
    let notify: () => void = () => undefined;
    const stop = holder.watch({
      debounceMs: 50,
      onReload: (result) => {
        results.push(result);
        notify();
      },
    });
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    try {
      const before = holder.current;
      const reloaded = next();
      await buildIndex({ corpusDir: SEED_CORPUS, indexDir: fixture.indexDir, embedder: fixture.embedder });
      await reloaded;
      const live = await readCurrent(fixture.indexDir);
      expect(live).not.toBe(fixture.build);
      expect(results.at(-1)).toMatchObject({ status: 'reloaded', build: live, previousBuild: fixture.build });
      expect(holder.build).toBe(live);
      expect(holder.current).not.toBe(before);

      const serving = holder.current;
      const rejected = next();
      await writeCurrent({ indexDir: fixture.indexDir, build: 'broken-build' });
      await rejected;
      expect(results.at(-1)).toMatchObject({ status: 'failed', build: live });
      expect(holder.current).toBe(serving);
    } finally {
      stop();
    }
  });
});

describe('engine holder watching a live index that fails', () => {
  it('reports a broken watch (a dropped database connection) as such, never as a rejected index, and keeps serving', async () => {
    const engine = { info: {} } as unknown as AnswerEngine;
    let fail: (error: unknown) => void = () => undefined;
    const live: LiveIndex = {
      current: async () => 'build-1',
      watch: ({ onError }) => {
        fail = onError;
        return () => undefined;
      },
    };
    const holder = createEngineHolder({ initial: { engine, build: 'build-1' }, indexDir: 'unused', live, load: async () => ({ engine, build: 'build-1' }) });
    const reloads: ReloadResult[] = [];
    const watchErrors: unknown[] = [];
    const stop = holder.watch({ onReload: (r) => reloads.push(r), onWatchError: (e) => watchErrors.push(e) });
    fail(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }));
    stop();
    expect(watchErrors).toHaveLength(1);
    expect(reloads).toEqual([]);
    expect(holder.current).toBe(engine);
  });
});
