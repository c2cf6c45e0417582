/**
 * Child process of `runLoadProbe`: loads the model and the live index exactly as
 * `loadEngine` does, with each step timed, prints one ready line, optionally measures the
 * query path, and exits. Not a CLI: its argument is the JSON request from the parent.
 */
import { createTransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import { createAnswerEngine } from '../src/answer/engine.js';
import { paramsForModel } from '../src/answer/params.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { assertSameModel } from '../src/store/manifest.js';
import { readLiveSnapshot } from '../src/store/read.js';
import { PROBE_MARKERS, type LoadProbeRequest } from './load-probe.js';
import { measureQueryPath } from './query-path.js';

const request = JSON.parse(process.argv[2] ?? '{}') as LoadProbeRequest;
const mb = (bytes: number): number => bytes / 1024 / 1024;

let started = performance.now();
const embedder = await createTransformersEmbedder({ model: request.model, ...(request.modelsDir ? { modelsDir: request.modelsDir } : {}) });
const modelMs = performance.now() - started;
// As in loadEngine, the raw build goes out of scope once the query structures exist.
const { index, readMs, searchIndexMs, items } = await (async () => {
  let step = performance.now();
  const contents = await readLiveSnapshot(request.indexDir);
  assertSameModel({ manifest: contents.manifest, modelId: embedder.modelId, dimensions: embedder.dimensions });
  const read = performance.now() - step;
  step = performance.now();
  const built = createMemoryStore(contents);
  return { index: built, readMs: read, searchIndexMs: performance.now() - step, items: contents.manifest.counts.items };
})();
const engine = createAnswerEngine({ store: index, embedder, params: paramsForModel(embedder.modelId) });
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
await embedder.dispose();
