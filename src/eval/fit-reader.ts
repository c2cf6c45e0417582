import { DECISION_DIRECTIONS, decisionRow, type DecisionSignal } from '../answer/decide.js';
import { readerDecisionColumns } from '../answer/engine.js';
import { holdsTerm } from '../answer/features.js';
import { bindModel, sigmoid, type LinearModel } from '../answer/linear-model.js';
import type { RankingParams } from '../answer/ranking-params.js';
import { readerRankRow, readerSignals, READER_DIRECTIONS, READER_RANK_COLUMNS, type ReaderParams, type Reading } from '../answer/reading.js';
import { QUOTES_PER_PAGE } from '../core/types.js';
import { fitListwise, fitLogistic, outOfFold, positivesOf, snippetGap, thresholdFor, type FitExample } from './fit.js';

/** Settings of the reader's fit; recorded with the params. */
export interface ReaderFitSettings {
  /** How many of the first ranking's best candidates the reader reads. */
  candidates: number;
  folds: number;
  seed: number;
  rankerL2: number;
  decisionL2: number;
  /** The share of answerable questions the decision must answer. */
  targetAnswered: number;
  gapRecallWeight: number;
  /**
   * Whether the reader's scores also reorder the candidates (a fitted final ranking), or only
   * decide (the final order is the first ranking's). Chosen on held-out folds.
   */
  rerank: boolean;
}

/**
 * The reader's fit settings. `candidates` is the most the reader reads within the speed budget
 * (answer p95 at most 50 ms and at least 30 answers a second on two cores, `npm run bench --
 * --parts reader`): 4 (p95 40 ms, 32 a second); reading 8 declines more traps (cross-validated
 * rejected 0.37 against 0.33) but takes 72 ms (19 a second).
 * `targetAnswered` is the lowest of .95, .96 and .97 at which the reader answers at least as
 * many of the answerable questions as the engine without it, held out (all 3,047 questions,
 * article folds: .944, .954 and .961 against .952): declining a question the coverage answers
 * is the worst failure, and the fitted decision answers fewer held-out questions than it
 * aims at. The others are those of the first ranking's fit (DEFAULT_FIT_SETTINGS), for the
 * same reasons.
 */
export const DEFAULT_READER_FIT: Readonly<ReaderFitSettings> = Object.freeze({
  candidates: 4,
  folds: 5,
  seed: 1,
  rankerL2: 0.1,
  decisionL2: 0.01,
  targetAnswered: 0.96,
  gapRecallWeight: 2,
  rerank: true,
});

/** One question as the reader's fit sees it: the inspection with what a reader said of it. */
interface Prepared {
  example: FitExample;
  reading: Reading;
  /** The first ranking's score of each read candidate. */
  first: number[];
  /** Which read candidates hold the evidence. */
  positive: boolean[];
}

/**
 * Fits the reader's part of the params on questions whose readings come from readers that
 * never saw them (out-of-fold): the final ranking (listwise over the read candidates), the
 * decision (logistic, on out-of-fold final scores) and its threshold, and the snippet gaps.
 * `params` are the first ranking's, kept as they are.
 */
export function fitReaderParams(options: { examples: FitExample[]; params: RankingParams; settings: ReaderFitSettings; modelId: string }): ReaderParams {
  const { params, settings, modelId } = options;
  const prepared = prepare(options.examples, params, settings.candidates);
  const columns = [...READER_RANK_COLUMNS];
  const fitRank = (items: Prepared[]): LinearModel =>
    fitListwise({ lists: items.map((p) => ({ rows: p.first.map((f, k) => readerRankRow(f, p.reading.logits[k] ?? p.reading.none)), positive: p.positive })), columns, l2: settings.rankerL2 });
  // Without reranking the final score is the first ranking's: the fit has nothing to learn.
  const fitOrKeep = (items: Prepared[]): LinearModel => (settings.rerank ? fitRank(items) : FIRST_ORDER);
  const ranker = fitOrKeep(prepared);
  const oofScores = outOfFold({ items: prepared, folds: settings.folds, seed: settings.seed, fit: fitOrKeep, apply: (model, p) => finalScores(model, p) });
  const signals = [...readerDecisionColumns()];
  const directions = signals.map((s) => (READER_DIRECTIONS as Record<string, 1 | -1>)[s] ?? DECISION_DIRECTIONS[s as DecisionSignal] ?? 0);
  const rows = prepared.map((p, i) => decisionRowOf(p, oofScores[i] ?? [], params));
  const fitDecision = (items: number[]): LinearModel =>
    fitLogistic({ rows: items.map((i) => rows[i] ?? new Float64Array(0)), labels: items.map((i) => prepared[i]?.example.question.answerable ?? false), columns: signals, directions, l2: settings.decisionL2 });
  const indices = prepared.map((_, i) => i);
  const decision = fitDecision(indices);
  const oofProbability = outOfFold({ items: indices, folds: settings.folds, seed: settings.seed + 1, fit: fitDecision, apply: (model, i) => sigmoid(bindModel(model, signals).score(rows[i] ?? [])) });
  const threshold = thresholdFor({ probabilities: indices.flatMap((i) => (prepared[i]?.example.question.answerable ? [oofProbability[i] ?? 0] : [])), target: settings.targetAnswered });
  const lists = prepared.flatMap((p, i) => (p.example.question.answerable ? [{ scores: oofScores[i] ?? [], positive: p.positive }] : []));
  const maxGap = snippetGap({ lists, ranks: QUOTES_PER_PAGE, recallWeight: settings.gapRecallWeight });
  const moreGap = Math.min(maxGap, snippetGap({ lists, ranks: 5, recallWeight: 1 }));
  return { modelId, candidates: settings.candidates, ranker, decision: { ...decision, threshold }, snippets: { maxGap, moreGap } };
}

/** The final ranking that keeps the first ranking's order and scores. */
const FIRST_ORDER: LinearModel = Object.freeze({ columns: [...READER_RANK_COLUMNS], mean: [0, 0], scale: [1, 1], weights: [1, 0], bias: 0 }) as LinearModel;

/** The examples a reader read, each cut to the `candidates` it reads in the engine. */
function prepare(examples: FitExample[], params: RankingParams, candidates: number): Prepared[] {
  const out: Prepared[] = [];
  for (const example of examples) {
    const inspection = example.inspection;
    const full = inspection?.reading;
    if (!inspection || !full || full.read.length === 0) continue;
    const reading: Reading = { read: full.read.slice(0, candidates), logits: full.logits.slice(0, candidates), none: full.none };
    const ranker = bindModel(params.ranker, inspection.columns);
    const positives = positivesOf(example, params.wordLists);
    out.push({ example, reading, first: reading.read.map((i) => ranker.score(inspection.rows[i] ?? [])), positive: reading.read.map((i) => positives.has(i)) });
  }
  return out;
}

function finalScores(model: LinearModel, p: Prepared): number[] {
  const bound = bindModel(model, READER_RANK_COLUMNS);
  return p.first.map((f, k) => bound.score(readerRankRow(f, p.reading.logits[k] ?? p.reading.none)));
}

/** The decision row the engine reads for a question (see answerFromInspection). */
function decisionRowOf(p: Prepared, scores: number[], params: RankingParams): Float64Array {
  const inspection = p.example.inspection;
  if (!inspection) return new Float64Array(0);
  const { read } = p.reading;
  const row = decisionRow({
    question: inspection.question,
    queryTerms: inspection.queryTerms,
    scores,
    features: read.map((i) => inspection.raw[i] ?? { 'dense.sentence': 0, 'dense.clause': 0, 'words.context': 0, 'words.related': 0, 'bm25.sentence': 0 }),
    texts: read.map((i) => inspection.candidates[i]?.text ?? ''),
    answerKinds: params.wordLists.answerKinds,
    holds: (k, t) => {
      const candidate = inspection.candidates[read[k] ?? -1];
      return candidate ? holdsTerm(candidate, t) : false;
    },
    maxIdf: inspection.maxIdf,
  });
  const best = scores.reduce((at, s, k) => (s > (scores[at] ?? -Infinity) ? k : at), 0);
  return Float64Array.from([...row, ...readerSignals(p.reading, best)]);
}

