import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnswerEngine, withoutReader } from '../src/answer/engine.js';
import { paramsForModel } from '../src/answer/params.js';
import { loadEnglishWords } from '../src/core/dictionary.js';
import type { Reader } from '../src/embedding/reader.js';
import { BUNDLED_MODELS_DIR, DEFAULT_PROFILE } from '../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import { createReaderFor } from '../src/app/serving/load-engine.js';
import { buildIndex } from '../src/indexer/build-index.js';
import { readLiveSnapshot } from '../src/store/read.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { latencySummary, medianOfSummaries, type LatencySummary } from './stats.js';
import { WARMUP_ROUNDS } from './query-path.js';

/** One way of answering, timed over the same questions. */
export interface ReaderPathRow {
  /** How many candidates the reader read (0: no reader, the first ranking alone). */
  candidates: number;
  answer: LatencySummary;
  /** The reader's own time per question (0 without a reader). */
  reader: LatencySummary;
  /** Questions answered one after another per second: 1000 / mean answer time. */
  answersPerSecond: number;
}

export interface ReaderPathFigures {
  profile: string;
  reader: string;
  /** The candidates the committed params read. */
  fitted: number;
  /** The bare query embedding of the same questions. */
  embed: LatencySummary;
  rows: ReaderPathRow[];
}

/**
 * The default answer path as served (the bundled profile, its reader, the real corpus):
 * `engine.answer` with the reader reading 4, 6 and 8 candidates, and without it, against
 * the bare query embedding; the reader's own share is timed inside the same calls. Each
 * figure is the median over `repeats` rounds after WARMUP_ROUNDS warm-up rounds; inside a
 * round the variants alternate question by question, so drift hits them alike.
 */
export async function measureReaderPath(options: { corpusDir: string; questions: readonly string[]; repeats: number; counts?: readonly number[] }): Promise<ReaderPathFigures | undefined> {
  const { corpusDir, questions, repeats, counts = [4, 6, 8] } = options;
  const params = paramsForModel(DEFAULT_PROFILE);
  if (!params.reader) return undefined;
  const embedder = await createTransformersEmbedder({ model: DEFAULT_PROFILE, modelsDir: BUNDLED_MODELS_DIR });
  const loaded = await createReaderFor({ params, modelsDir: BUNDLED_MODELS_DIR });
  const indexDir = await mkdtemp(join(tmpdir(), 'bench-reader-'));
  try {
    if (!loaded) return undefined;
    await buildIndex({ corpusDir, indexDir, embedder });
    const store = createMemoryStore(await readLiveSnapshot(indexDir));
    const dictionary = await loadEnglishWords();
    let readerMs = 0;
    const timed: Reader = {
      modelId: loaded.modelId,
      none: loaded.none,
      async score(question, passages) {
        const started = performance.now();
        const scores = await loaded.score(question, passages);
        readerMs += performance.now() - started;
        return scores;
      },
      dispose: () => loaded.dispose(),
    };
    const reader = params.reader;
    const variants = [0, ...counts].map((candidates) => ({
      candidates,
      engine: candidates === 0
        ? createAnswerEngine({ store, embedder, params: withoutReader(params), dictionary })
        : createAnswerEngine({ store, embedder, params: { ...params, reader: { ...reader, candidates } }, dictionary, reader: timed }),
    }));
    const round = async (): Promise<{ answer: number[][]; read: number[][]; embed: number[] }> => {
      const answer = variants.map(() => [] as number[]);
      const read = variants.map(() => [] as number[]);
      const embed: number[] = [];
      for (const question of questions) {
        for (const [k, v] of variants.entries()) {
          readerMs = 0;
          const started = performance.now();
          await v.engine.answer(question);
          answer[k]?.push(performance.now() - started);
          read[k]?.push(readerMs);
        }
        const started = performance.now();
        await embedder.embed([question], { kind: 'query' });
        embed.push(performance.now() - started);
      }
      return { answer, read, embed };
    };
    for (let warm = 0; warm < WARMUP_ROUNDS; warm++) await round();
    const runs: Array<Awaited<ReturnType<typeof round>>> = [];
    for (let r = 0; r < repeats; r++) runs.push(await round());
    const rows = variants.map((v, k): ReaderPathRow => {
      const answer = medianOfSummaries(runs.map((run) => latencySummary(run.answer[k] ?? [])));
      const all = runs.flatMap((run) => run.answer[k] ?? []);
      return {
        candidates: v.candidates,
        answer,
        reader: medianOfSummaries(runs.map((run) => latencySummary(run.read[k] ?? []))),
        answersPerSecond: all.length / (all.reduce((s, t) => s + t, 0) / 1000 || 1),
      };
    });
    return { profile: DEFAULT_PROFILE, reader: loaded.modelId, fitted: reader.candidates, embed: medianOfSummaries(runs.map((run) => latencySummary(run.embed))), rows };
  } finally {
    await loaded?.dispose();
    await embedder.dispose();
    await rm(indexDir, { recursive: true, force: true });
  }
}
