import { readFile, writeFile } from 'node:fs/promises';
import { defineCommand } from 'citty';
import { factDescriber, quotePlace } from '../../answer/facts.js';
import { paramsForModel } from '../../answer/params.js';
import type { RankingParams } from '../../answer/ranking-params.js';
import { parseEngineConfig } from '../../app/config.js';
import { createEmbedderFromConfig, createReaderFor } from '../../app/serving/load-engine.js';
import { InputError } from '../../core/errors.js';
import { MODEL_PROFILES, resolveProfile } from '../../embedding/profiles.js';
import { answerExample, CROSS_LINGUAL, DEFAULT_FIT_SETTINGS, fitParams, repeatedCrossValidation, withCandidateSettings, type FitExample } from '../../eval/fit.js';
import { evidenceRank, parseQuestions, scoreRun, type EvalMetrics, type EvalOutcome, type EvalQuestion } from '../../eval/metrics.js';
import { byStyle, formatParams, metricsTable, missList, summaryLine } from '../../eval/report.js';
import { openWorkbench, type Workbench } from '../../eval/workbench.js';
import { PIPELINE_VERSION } from '../../store/manifest.js';
import { ioOf } from '../io.js';

const TRAIN = 'test/fixtures/train-questions.jsonl';
const TAGS = 'test/fixtures/train-questions.tags.json';
const DEV = 'test/fixtures/dev-questions.jsonl';
/**
 * For a multilingual model: the training questions as Russian readers ask them (the cross-lingual
 * model is fitted and cross-validated on these), and the development questions in Russian.
 */
const TRAIN_RU = 'test/fixtures/ru-train-questions.jsonl';
const DEV_RU = 'test/fixtures/ru-questions.jsonl';
const USAGE = 'usage: npm run eval -- [questions.jsonl] [--fit] [--profile NAME] [--verbose]';
/** Cross-validation runs with different fold splits; their mean is what gets reported. */
const REPEATS = 3;

/**
 * `eval`: answer quality, measured honestly. With no file: cross-validated scores on the
 * training questions beside a plain dense baseline, then the development set with the
 * committed params. With a file: the committed params on it. `--fit` refits the params of a
 * profile and writes them, with their cross-validated scores.
 */
export const evalCommand = defineCommand({
  meta: { name: 'eval', description: 'Score answer quality (cross-validated), or fit the ranking params with --fit' },
  args: {
    questions: { type: 'positional', required: false, description: 'a question file to score with the committed params', valueHint: 'questions.jsonl' },
    fit: { type: 'boolean', description: `fit the params on ${'test/fixtures/train-questions.jsonl'} and write src/answer/params/<profile>.json` },
    profile: { type: 'string', description: 'the model profile (default: EMBEDDING_MODEL)', valueHint: 'NAME' },
    verbose: { type: 'boolean', description: 'list every cross-validated miss' },
  },
  async run(context) {

    const io = ioOf(context);
    const { args } = context;
    const write = (text: string): void => {
      if (text !== '') io.stdout.write(`${text}\n\n`);
    };
    const file = args._[0];
    if (file && args.fit) throw new InputError(`--fit always fits on ${TRAIN}; give no file with it (${USAGE})`);
    const env = { ...io.env, ...(args.profile ? { EMBEDDING_MODEL: args.profile } : {}) };
    const config = parseEngineConfig(env);
    const profile = resolveProfile(config.embeddingModel);
    if (args.fit && !MODEL_PROFILES.some((p) => p.name === profile.name)) {
      throw new InputError(`only known profiles can be fitted (${MODEL_PROFILES.map((p) => p.name).join(', ')}); add ${profile.name} to src/embedding/profiles.ts first`);
    }
    if (args.fit && profile.fineTunedFrom) {
      throw new InputError(`${profile.name} is fine-tuned on ${TRAIN}: its params are fitted with the model by npm run fine-tune, not by --fit`);
    }
    const embedder = await createEmbedderFromConfig(config);
    const committed = paramsForModel(profile.name);
    const reader = await createReaderFor({ params: committed, modelsDir: config.modelsDir });
    const bench = await openWorkbench({ corpusDir: config.corpusDir, embedder, reader });
    try {
      if (file) {
        const questions = await readQuestions(file);
        const outcomes = answerAll({ examples: await bench.examples({ questions, params: committed }), params: committed, bench });
        const metrics = scoreRun({ outcomes, corpus: bench.corpus });
        write(`== committed params of ${profile.name} · ${file} (${questions.length} questions)\n${metricsTable([{ label: 'engine', metrics }])}`);
        write(missList(outcomes));
        write(summaryLine(metrics));
        return 0;
      }
      if (profile.fineTunedFrom) {
        await fineTunedReport({ committed, bench, write });
        return 0;
      }
      const settings = { ...DEFAULT_FIT_SETTINGS };
      const train = await readQuestions(TRAIN);
      const tags = JSON.parse(await readFile(TAGS, 'utf8')) as Record<string, string[]>;
      const examples = await bench.examples({ questions: train, params: withCandidateSettings(committed, settings) });
      // A multilingual model also has a model for questions in other languages, fitted and
      // cross-validated on the same questions asked in Russian.
      const crossLingual = profile.multilingual ? await crossLingualRun({ bench, committed, settings, profile: profile.name, modelId: embedder.modelId }) : undefined;
      const started = performance.now();
      const cv = repeatedCrossValidation({ examples, articles: bench.store.articles, settings, corpus: bench.corpus, profile: profile.name, modelId: embedder.modelId, repeats: REPEATS });
      const baseline = answerAll({ examples, params: plainDense(committed), bench });
      write(`== cross-validated, ${REPEATS} × ${settings.folds} folds (mean of the held-out scores) · ${embedder.modelId} · ${TRAIN} (${train.length} questions, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
      write(
        metricsTable([
          { label: 'plain dense (no learning)', metrics: scoreRun({ outcomes: baseline, corpus: bench.corpus }) },
          ...cv.runs.map((metrics, r) => ({ label: `engine, held-out, split ${r + 1}`, metrics })),
          { label: 'engine, held-out, mean', metrics: cv.mean },
          ...(crossLingual ? [{ label: 'cross-lingual model, held-out (Russian questions)', metrics: crossLingual.cv.mean }] : []),
        ]),
      );
      write(byStyle({ outcomes: cv.outcomes, tags }));
      if (args.verbose) write(missList(cv.outcomes));

      let params = committed;
      if (args.fit) {
        params = {
          ...fitParams({ examples, articles: bench.store.articles, settings, profile: profile.name, modelId: embedder.modelId, ...(crossLingual ? { crossLingual: crossLingual.examples } : {}) }),
          fit: {
            questions: TRAIN,
            count: train.length,
            folds: settings.folds,
            seed: settings.seed,
            corpusHash: bench.manifest.corpusHash,
            pipelineVersion: PIPELINE_VERSION,
            crossValidated: { ...cv.mean, repeats: REPEATS },
            ...(crossLingual ? { crossLingual: { questions: TRAIN_RU, crossValidated: { ...crossLingual.cv.mean, repeats: REPEATS } } } : {}),
          },
        };
        const path = `src/answer/params/${profile.name}.json`;
        await writeFile(path, formatParams(params));
        write(`wrote ${path}`);
      } else if (committed.fit && JSON.stringify(committed.fit.crossValidated) !== JSON.stringify({ ...cv.mean, repeats: REPEATS })) {
        write('note: these scores differ from those recorded with the committed params; refit with --fit if the corpus or the code changed');
      }
      await devReport({ bench, params, label: args.fit ? 'fitted' : 'committed', write });
      if (crossLingual) {
        const devRu = await readQuestions(DEV_RU);
        const ruOutcomes = answerAll({ examples: await bench.examples({ questions: devRu, params }), params, bench });
        write(`== ${args.fit ? 'fitted' : 'committed'} params · ${DEV_RU} (${devRu.length} questions)\n${metricsTable([{ label: 'engine', metrics: scoreRun({ outcomes: ruOutcomes, corpus: bench.corpus }) }])}`);
        write(missList(ruOutcomes));
      }
      write(summaryLine(cv.mean));
      return 0;
    } finally {
      await bench.dispose();
      await reader?.dispose();
      await embedder.dispose();
    }
  },
});

/**
 * A model fine-tuned on the training questions has seen them: cross-validating its params on
 * them here would score it on what it learnt. Its honest scores are the nested ones
 * `npm run fine-tune` recorded; the development questions, which it never saw, are scored here.
 */
async function fineTunedReport(options: { committed: RankingParams; bench: Workbench; write: (text: string) => void }): Promise<void> {
  const { committed, bench, write } = options;
  const recorded = committed.fit?.crossValidated;
  write(
    recorded
      ? `== cross-validated, nested (${committed.fit?.folds} folds; each fold answered by a model fine-tuned without it), as recorded by npm run fine-tune · ${committed.fit?.questions} (${committed.fit?.count} questions)\n` +
          metricsTable([{ label: 'engine, held-out', metrics: recorded as unknown as EvalMetrics }])
      : `no cross-validated scores are recorded for ${committed.profile}: run npm run fine-tune`,
  );
  const reader = committed.fit?.reader;
  if (reader) {
    write(
      `== with the reader, cross-validated by article (${reader.folds} folds; each fold answered by a reader trained without its articles' questions), as recorded by npm run train-reader\n` +
        metricsTable([
          { label: "the five articles' questions", metrics: reader.crossValidated as unknown as EvalMetrics },
          ...(reader.crossValidatedNewArticles ? [{ label: 'practice articles (new to it)', metrics: reader.crossValidatedNewArticles as unknown as EvalMetrics }] : []),
        ]),
    );
  }
  const metrics = await devReport({ bench, params: committed, label: 'committed', write });
  write(summaryLine(reader ? (reader.crossValidated as unknown as EvalMetrics) : recorded ? (recorded as unknown as EvalMetrics) : metrics));
}

/** The development questions answered with these params: a table and every miss. */
async function devReport(options: { bench: Workbench; params: RankingParams; label: string; write: (text: string) => void }): Promise<EvalMetrics> {
  const { bench, params, label, write } = options;
  const dev = await readQuestions(DEV);
  const outcomes = answerAll({ examples: await bench.examples({ questions: dev, params }), params, bench });
  const metrics = scoreRun({ outcomes, corpus: bench.corpus });
  write(`== ${label} params · ${DEV} (${dev.length} questions)\n${metricsTable([{ label: 'engine', metrics }])}`);
  write(missList(outcomes));
  return metrics;
}

/** The Russian training questions of a multilingual model, and the cross-lingual model's held-out scores on them. */
async function crossLingualRun(options: { bench: Workbench; committed: RankingParams; settings: typeof DEFAULT_FIT_SETTINGS; profile: string; modelId: string }) {
  const { bench, committed, settings, profile, modelId } = options;
  const questions = await readQuestions(TRAIN_RU);
  const examples = await bench.examples({ questions, params: withCandidateSettings(committed, settings) });
  const cv = repeatedCrossValidation({ examples, articles: bench.store.articles, settings: { ...settings, ...CROSS_LINGUAL }, corpus: bench.corpus, profile, modelId, repeats: REPEATS });
  return { examples, cv };
}

async function readQuestions(path: string): Promise<EvalQuestion[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  try {
    return parseQuestions(text, path);
  } catch (cause) {
    throw new InputError((cause as Error).message, { cause });
  }
}

function answerAll(options: { examples: FitExample[]; params: RankingParams; bench: Workbench }): EvalOutcome[] {
  const describe = factDescriber({ keyOf: quotePlace });
  return options.examples.map((example) => {
    const { answer, probability } = answerExample({ example, params: options.params, articles: options.bench.store.articles, describe });
    return { question: example.question, answer, rank: evidenceRank(example.question, answer), ...(probability !== undefined ? { probability } : {}) };
  });
}

/** The baseline: sentences ranked by their cosine alone, every question answered, no cut-off. */
function plainDense(params: RankingParams): RankingParams {
  return {
    ...withCandidateSettings(params, DEFAULT_FIT_SETTINGS),
    ranker: { columns: ['dense.sentence'], mean: [0], scale: [1], weights: [100], bias: 0 },
    decision: { columns: [], mean: [], scale: [], weights: [], bias: 10, threshold: 0 },
    snippets: { maxGap: Number.MAX_VALUE },
    wordLists: { backReferences: false, answerKinds: false },
  };
}
