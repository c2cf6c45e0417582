/**
 * Child process of `runLoadProbe`: loads the model and the live index exactly as
 * `loadEngine` does (from INDEX_DIR's files, or from a database), with each step timed,
 * prints one ready line, optionally measures the query path, and exits. Not a CLI: its
 * argument is the JSON request from the parent.
 */
import { createTransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import type { Embedder } from '../src/embedding/embedder.js';
import { resolveProfile } from '../src/embedding/profiles.js';
import { createAnswerEngine } from '../src/answer/engine.js';
import { paramsForModel } from '../src/answer/params.js';
import type { PassageStore } from '../src/answer/store.js';
import { openStore } from '../src/app/serving/open-store.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { assertSameModel } from '../src/store/manifest.js';
import { readLiveSnapshot } from '../src/store/read.js';
import { PROBE_MARKERS, type LoadProbeRequest } from './load-probe.js';
import { measureQueryPath } from './query-path.js';

const request = JSON.parse(process.argv[2] ?? '{}') as LoadProbeRequest;
const mb = (bytes: number): number => bytes / 1024 / 1024;

/** The embedder with each query's vector kept after its first use (for `excludeEmbedding`). */
function reusingQueryVectors(inner: Embedder): Embedder {
  const known = new Map<string, Float32Array[]>();
  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    async embed(texts, options) {
      if (options?.kind !== 'query') return inner.embed(texts, options);
      const key = JSON.stringify(texts);
      const found = known.get(key) ?? (await inner.embed(texts, options));
      known.set(key, found);
      return found;
    },
    dispose: () => inner.dispose(),
  };
}

let started = performance.now();
const embedder = await createTransformersEmbedder({ model: request.model, ...(request.modelsDir ? { modelsDir: request.modelsDir } : {}) });
const modelMs = performance.now() - started;
// As in loadEngine, the raw build goes out of scope once the query structures exist.
const { store, close, readMs, searchIndexMs, items } = await (async (): Promise<{ store: PassageStore; close: () => Promise<void>; readMs: number; searchIndexMs: number; items: number }> => {
  let step = performance.now();
  if (request.databaseUrl) {
    const opened = await openStore({ indexDir: request.indexDir, databaseUrl: request.databaseUrl, embedder });
    return { store: opened.store, close: opened.close, readMs: performance.now() - step, searchIndexMs: 0, items: opened.store.info.chunks + opened.store.info.sentences };
  }
  const contents = await readLiveSnapshot(request.indexDir);
  assertSameModel({ manifest: contents.manifest, modelId: embedder.modelId, dimensions: embedder.dimensions });
  const read = performance.now() - step;
  step = performance.now();
  const built = createMemoryStore(contents);
  return { store: built, close: async () => {}, readMs: read, searchIndexMs: performance.now() - step, items: contents.manifest.counts.items };
})();
const engineEmbedder = request.excludeEmbedding ? reusingQueryVectors(embedder) : embedder;
const engine = createAnswerEngine({ store, embedder: engineEmbedder, params: paramsForModel(embedder.modelId), multilingual: resolveProfile(embedder.modelId).multilingual });
const memory = process.memoryUsage();
// With --expose-gc the parent also gets the footprint without the garbage of loading.
(globalThis as { gc?: () => void }).gc?.();
const settled = process.memoryUsage();
const ready = {
  modelMs,
  readMs,
  searchIndexMs,
  indexLoadMs: readMs + searchIndexMs,
  rssMb: mb(memory.rss),
  rssAfterGcMb: mb(settled.rss),
  heapMb: mb(settled.heapUsed),
  items,
};
process.stdout.write(`${PROBE_MARKERS.READY}${JSON.stringify(ready)}\n`);
if (request.questions && request.questions.length > 0) {
  const query = await measureQueryPath({ engine, embedder, questions: request.questions, repeats: request.repeats ?? 3 });
  process.stdout.write(`${PROBE_MARKERS.DONE}${JSON.stringify(query)}\n`);
}
await close();
await embedder.dispose();
