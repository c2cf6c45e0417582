/**
 * `npm run fine-tune`: fine-tunes the bundled all-MiniLM-L6-v2 on the training questions,
 * measures the result honestly, and writes the model and its params.
 *
 * 1. The training pairs: each answerable training question with the corpus sentences that
 *    hold its evidence (as the ranker is trained), and every corpus sentence.
 * 2. Nested cross-validation: for each of 5 folds, a model fine-tuned without the fold's
 *    questions embeds the corpus and every question. A question's features come from the
 *    model that never saw it; the params that answer a fold are fitted on the other folds'
 *    such features. The scores are the held-out ones only.
 * 3. The bundled model: fine-tuned on all the questions, written to models/. Its params are
 *    fitted on the same out-of-fold features (a question's features from the model that never
 *    saw it): that is how the served model meets a new question.
 *
 * Needs Python 3 with tools/fine-tune/requirements.txt (PYTHON picks the interpreter); CPU
 * only, about 25 minutes on two cores.
 *
 * `npm run fine-tune -- --check-split N` only measures: the nested scores on another split of
 * the folds (N = 2, 3, …; split 1 is the one recorded) with every miss listed, and writes
 * nothing. `--unanswerable-weight W` (0 to 1) also trains on the unanswerable questions, each
 * counting W, as a "no sentence" answer (see tune.py); by default they are left out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { paramsForModel } from '../../src/answer/params.js';
import type { RankingParams } from '../../src/answer/ranking-params.js';
import { BUNDLED_MODELS_DIR, resolveProfile } from '../../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { crossValidate, DEFAULT_FIT_SETTINGS, fitParams, foldAssignment, positivesOf, withCandidateSettings, type FitExample } from '../../src/eval/fit.js';
import { parseQuestions, type EvalQuestion } from '../../src/eval/metrics.js';
import { formatParams, metricsTable, missList } from '../../src/eval/report.js';
import { openWorkbench } from '../../src/eval/workbench.js';
import { PIPELINE_VERSION } from '../../src/store/manifest.js';

const TRAIN = 'test/fixtures/train-questions.jsonl';
const PROFILE = 'all-MiniLM-L6-v2-dushanbe';
const USAGE = 'usage: npm run fine-tune [-- [--check-split N] [--unanswerable-weight W]]   (N: 2, 3, …; measures another split of the folds, writes nothing. W: how much the unanswerable questions count, 0 to 1; 0 leaves them out)';
/** Passages inspected for the training pairs: 40 of the corpus's 41, as the committed model was trained. */
const TRAINING_PASSAGES = 40;
const TRAINING = { epochs: 3, learningRate: 2e-5, seed: 1 };

const profile = resolveProfile(PROFILE);
const base = resolveProfile(profile.fineTunedFrom ?? '');
const python = process.env.PYTHON ?? 'python3';
/**
 * The base model's fit settings, but for the share of answerable questions the decision aims
 * to answer. Aiming at 93%, as the base model's does, the fine-tuned model answered 91.7% of
 * the held-out questions (nested), short of the 93% it aimed at. Declining a question the
 * coverage answers is the worst failure, so it aims higher.
 */
const settings = { ...DEFAULT_FIT_SETTINGS, targetAnswered: 0.95 };
const { checkSplit, unanswerableWeight } = commandArguments(process.argv.slice(2));
checkPython();
const work = await mkdtemp(join(tmpdir(), 'fine-tune-'));

try {
  const questions = parseQuestions(await readFile(TRAIN, 'utf8'), 'train');
  const pairsFile = join(work, 'pairs.json');
  // Split 1 is crossValidate's first split, so the base model's scores are on the same folds.
  const split = checkSplit ?? 1;
  const { baseline, corpusHash } = await writePairs({ questions, file: pairsFile, split });

  const fold = foldAssignment(questions.length, settings.folds, settings.seed + 1 + split); // crossValidate's outer folds
  const outOfFold = new Array<FitExample>(questions.length);
  let articles: Parameters<typeof fitParams>[0]['articles'] = [];
  let corpus: string[] = [];
  for (let f = 0; f < settings.folds; f++) {
    const held = questions.filter((_, i) => fold[i] === f).map((q) => q.id);
    console.log(`fold ${f + 1}/${settings.folds}: fine-tuning without its ${held.length} questions`);
    const dir = join(work, `fold-${f}`);
    await tune({ pairsFile, out: dir, exclude: held });
    const seen = await examplesWith(dir, questions);
    seen.examples.forEach((e, i) => {
      if (fold[i] === f) outOfFold[i] = e;
    });
    ({ articles, corpus } = seen);
  }

  // Nested: each fold answered by its own model, with params fitted on the other folds'
  // out-of-fold features. crossValidate deals the same folds from the same seed.
  const splitSettings = { ...settings, seed: settings.seed + split - 1 };
  const { metrics: nested, outcomes } = crossValidate({ examples: outOfFold, articles, settings: splitSettings, corpus, profile: PROFILE, modelId: profile.modelId });
  console.log(
    `\n== held-out scores on ${TRAIN} (${questions.length} questions; the same ${settings.folds} folds, split ${split})\n` +
      metricsTable([
        { label: `${base.name}, engine`, metrics: baseline },
        { label: `${PROFILE}, engine (nested${unanswerableWeight > 0 ? `, unanswerable weight ${unanswerableWeight}` : ''})`, metrics: nested },
      ]),
  );

  if (checkSplit !== undefined) {
    console.log(`\n${missList(outcomes)}`);
  } else {
    console.log(`\nfine-tuning the bundled model on all ${questions.length} questions`);
    await tune({ pairsFile, out: BUNDLED_MODELS_DIR, exclude: [] });
    const params: RankingParams = {
      ...fitParams({ examples: outOfFold, articles, settings, profile: PROFILE, modelId: profile.modelId }),
      fit: {
        questions: TRAIN,
        count: questions.length,
        folds: settings.folds,
        seed: settings.seed,
        corpusHash,
        pipelineVersion: PIPELINE_VERSION,
        crossValidated: { ...nested, repeats: 1 },
        fineTuned: { from: base.modelId, ...TRAINING, ...(unanswerableWeight > 0 ? { unanswerableWeight } : {}) },
      },
    };
    const path = `src/answer/params/${PROFILE}.json`;
    await writeFile(path, formatParams(params));
    console.log(`wrote ${join(BUNDLED_MODELS_DIR, profile.modelId)} and ${path}`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

/**
 * `--check-split N` (2 or more) and `--unanswerable-weight W` (0 to 1, default 0); anything
 * else stops with the usage.
 */
function commandArguments(args: string[]): { checkSplit?: number; unanswerableWeight: number } {
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, options: { 'check-split': { type: 'string' }, 'unanswerable-weight': { type: 'string' } } }).values;
  } catch {
    return usage();
  }
  const split = parsed['check-split'] === undefined ? undefined : Number(parsed['check-split']);
  const weight = Number(parsed['unanswerable-weight'] ?? 0);
  if ((split !== undefined && (!Number.isInteger(split) || split < 2)) || !(weight >= 0 && weight <= 1)) return usage();
  return { checkSplit: split, unanswerableWeight: weight };
}

function usage(): never {
  console.error(USAGE);
  process.exit(2);
}

function checkPython(): void {
  try {
    execFileSync(python, ['-c', 'import torch, transformers, onnx, onnxruntime'], { stdio: 'ignore' });
  } catch {
    console.error(`${python} cannot import torch, transformers, onnx and onnxruntime: pip install -r tools/fine-tune/requirements.txt (or set PYTHON)`);
    process.exit(2);
  }
}

/**
 * The base model's view of the training questions: their evidence sentences (the pairs to
 * train on) and its own held-out scores on the same folds, to compare with.
 */
async function writePairs(options: { questions: EvalQuestion[]; file: string; split: number }) {
  const embedder = await createTransformersEmbedder({ model: base.name, bundledDir: BUNDLED_MODELS_DIR });
  const bench = await openWorkbench({ corpusDir: 'corpus', embedder });
  try {
    const params = paramsForModel(base.name);
    const examples = await bench.examples({ questions: options.questions, params: withCandidateSettings(params, settings) });
    // The pairs come from a deeper inspection than the engine's: every evidence sentence is a
    // positive, not only those among a question's candidates.
    const deep = await bench.examples({ questions: options.questions, params: withCandidateSettings(params, { passages: TRAINING_PASSAGES, sentences: undefined }) });
    const sentences = new Set<string>();
    for (const e of deep) for (const c of e.inspection?.candidates ?? []) [c.text, ...(c.previous ? [c.previous.text] : [])].forEach((t) => sentences.add(t));
    const pairs = deep.map((e) => ({ id: e.question.id, question: e.question.question, answerable: e.question.answerable, positives: [...positivesOf(e, params.wordLists)].map((i) => e.inspection?.candidates[i]?.text ?? '') }));
    await writeFile(options.file, JSON.stringify({ sentences: [...sentences], questions: pairs }));
    const { metrics } = crossValidate({ examples, articles: bench.store.articles, settings: { ...DEFAULT_FIT_SETTINGS, seed: DEFAULT_FIT_SETTINGS.seed + options.split - 1 }, corpus: bench.corpus, profile: base.name, modelId: embedder.modelId });
    return { baseline: metrics, corpusHash: bench.manifest.corpusHash };
  } finally {
    await bench.dispose();
    await embedder.dispose();
  }
}

async function tune(options: { pairsFile: string; out: string; exclude: string[] }): Promise<void> {
  const exclude = join(work, 'exclude.json');
  await writeFile(exclude, JSON.stringify(options.exclude));
  const src = join(BUNDLED_MODELS_DIR, base.modelId);
  const args = ['tools/fine-tune/tune.py', options.pairsFile, options.out, '--src', src, '--model-id', profile.modelId, '--exclude', exclude];
  args.push('--epochs', String(TRAINING.epochs), '--lr', String(TRAINING.learningRate), '--seed', String(TRAINING.seed));
  args.push('--unanswerable-weight', String(unanswerableWeight));
  execFileSync(python, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, TRANSFORMERS_VERBOSITY: 'error' } });
}

async function examplesWith(modelsDir: string, questions: EvalQuestion[]) {
  const embedder = await createTransformersEmbedder({ model: PROFILE, modelsDir });
  const bench = await openWorkbench({ corpusDir: 'corpus', embedder });
  try {
    // The base model's word lists and passages: the inspection must not depend on params not yet fitted.
    const examples = await bench.examples({ questions, params: withCandidateSettings(paramsForModel(base.name), settings) });
    return { examples, articles: bench.store.articles, corpus: bench.corpus };
  } finally {
    await bench.dispose();
    await embedder.dispose();
  }
}
