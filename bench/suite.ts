import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswerEngine } from '../src/core/types.js';
import type { Embedder } from '../src/embedding/embedder.js';
import { createTransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import { loadEngine } from '../src/app/serving/load-engine.js';
import { parseQuestions } from '../src/eval/metrics.js';
import { buildIndex } from '../src/indexer/build-index.js';
import { measureBotLayer, type BotFigures } from './bot-layer.js';
export type { BotFigures } from './bot-layer.js';
import { measureColdStart, type ColdStartFigures } from './cold-start.js';
import { measureGrowth, type GrowthFigures } from './growth.js';
import { measureIndexBuild, type IndexBuildFigures } from './index-build.js';
import type { BenchModel } from './models.js';
import { compareStores, STORES, type StoreFigures, type StoreKind } from './store-compare.js';
import { answerFingerprint, measureQueryPath, type QueryPathFigures } from './query-path.js';

/** Parts run for each model; 'reader' runs once, on the bundled default profile with its reader (see reader-path.ts). */
export const BENCH_PARTS = ['query', 'reader', 'build', 'cold', 'bot', 'growth', 'stores'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface BenchOptions {
  parts: readonly BenchPart[];
  sizes: readonly number[];
  repeats: number;
  corpusDir: string;
  questionsPath: string;
  /** Corpus sizes at which the stores part compares the file index with PostgreSQL. */
  storeSizes?: readonly number[];
  /** Which stores that part measures. @default both */
  stores?: readonly StoreKind[];
  /** A PostgreSQL server where the stores part may create databases; without one only files are measured. */
  adminUrl?: string;
  /** Seed of the synthetic corpora. @default 1 */
  seed?: number;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Measures the bot layer. @default measureBotLayer (the real bot against the emulator) */
  botPart?: BotPart;
}

/** The bot-layer measurement; replaceable so the suite's wiring can be tested without a bot. */
export type BotPart = (options: {
  indexDir: string;
  embedder: Embedder;
  questions: string[];
  repeats: number;
  log: (line: string) => void;
}) => Promise<BotFigures>;


export interface ModelResults {
  model: string;
  modelsDir: string;
  modelId: string;
  dimensions: number;
  query?: QueryPathFigures;
  build?: IndexBuildFigures;
  cold?: ColdStartFigures;
  bot?: BotFigures;
  growth?: GrowthFigures[];
  /** The file index and PostgreSQL side by side, per corpus size. */
  stores?: StoreFigures[];
  /** The same answers after a no-change rebuild (stored vectors read back and written again). */
  answersSurviveRebuild?: boolean;
  notes: string[];
}

/** Runs the selected parts for one model and returns its figures. */
export async function runModelSuite(options: BenchOptions & { target: BenchModel }): Promise<ModelResults> {
  const { parts, sizes, repeats, corpusDir, questionsPath, seed = 1, target, botPart, storeSizes = [], stores = STORES, adminUrl } = options;
  const log = options.log ?? (() => undefined);
  const questions = parseQuestions(await readFile(questionsPath, 'utf8'), questionsPath).map((q) => q.question);
  log(`[${target.model}] loading the model`);
  const embedder = await createTransformersEmbedder({ model: target.model, modelsDir: target.modelsDir });
  const workDir = await mkdtemp(join(tmpdir(), 'bench-'));
  const results: ModelResults = { model: target.model, modelsDir: target.modelsDir, modelId: embedder.modelId, dimensions: embedder.dimensions, notes: [] };
  try {
    const indexDir = join(workDir, 'index');
    await buildIndex({ corpusDir, indexDir, embedder });
    const want = (part: BenchPart): boolean => parts.includes(part);

    if (want('query')) {
      log(`[${target.model}] query path`);
      const { engine } = await loadEngine({ indexDir, embedder });
      results.query = await measureQueryPath({ engine, embedder, questions, repeats });
      results.answersSurviveRebuild = await answersSurviveRebuild({ corpusDir, indexDir, embedder, questions, before: engine });
    }
    if (want('build')) {
      log(`[${target.model}] index build, ${repeats} rounds`);
      results.build = await measureIndexBuild({ corpusDir, embedder, repeats });
    }
    if (want('cold')) {
      log(`[${target.model}] cold start, ${repeats} processes`);
      results.cold = await measureColdStart({ indexDir, model: target.model, modelsDir: target.modelsDir, repeats });
    }
    if (want('bot')) {
      log(`[${target.model}] bot layer, 50 users, ${repeats} rounds`);
      results.bot = await (botPart ?? measureBotLayer)({ indexDir, embedder, questions, repeats, log });
    }
    if (want('growth')) {
      results.growth = [];
      for (const size of sizes) {
        results.growth.push(
          await measureGrowth({
            sourceDir: corpusDir,
            workDir,
            size,
            seed,
            embedder,
            model: target.model,
            modelsDir: target.modelsDir,
            questions,
            // Large indexes answer slowly; three rounds keep the whole suite within its budget.
            repeats: Math.min(repeats, 3),
            // The build-throughput target on a corpus big enough to be more than fixed costs.
            rawAnchor: size === sizes[0],
            onStep: (step) => log(`[${target.model}] growth: ${step}`),
          }),
        );
      }
    }
    if (want('stores')) {
      results.stores = [];
      if (stores.includes('pg') && !adminUrl) results.notes.push('no PostgreSQL server: the stores part measured the file index only');
      for (const size of storeSizes) {
        results.stores.push(
          ...(await compareStores({
            sourceDir: corpusDir,
            workDir,
            size,
            seed,
            stores,
            adminUrl,
            embedder,
            model: target.model,
            modelsDir: target.modelsDir,
            questions,
            repeats: Math.min(repeats, 3),
            onStep: (step) => log(`[${target.model}] stores: ${step}`),
          })),
        );
      }
    }
  } finally {
    await embedder.dispose();
    await rm(workDir, { recursive: true, force: true });
  }
  return results;
}

/** Rebuilds the index with nothing changed and checks every answer is byte-identical. */
async function answersSurviveRebuild(options: {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  questions: string[];
  before: AnswerEngine;
}): Promise<boolean> {
  const { corpusDir, indexDir, embedder, questions, before } = options;
  const expected = await answerFingerprint({ engine: before, questions });
  await buildIndex({ corpusDir, indexDir, embedder });
  const { engine } = await loadEngine({ indexDir, embedder });
  return (await answerFingerprint({ engine, questions })) === expected;
}

/** Where this run happened, for the results file. */
export function environment(): Record<string, string | number> {
  const [load1 = 0] = loadavg();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    loadAverage1m: Number(load1.toFixed(2)),
  };
}
