import { DECISION_DIRECTIONS, DECISION_SIGNALS, decisionColumns, decisionRow } from '../answer/decide.js';
import { answerFromInspection, type Inspection } from '../answer/engine.js';
import { factDescriber, quotePlace, type FactTerms, type SourcedQuote } from '../answer/facts.js';
import { featureColumns, holdsTerm } from '../answer/features.js';
import { bindModel, sigmoid, type LinearModel } from '../answer/linear-model.js';
import { buildQuote } from '../answer/quotes.js';
import type { RankingParams } from '../answer/ranking-params.js';
import type { ArticleInfo } from '../answer/store.js';
import type { Answer } from '../core/types.js';
import { canonical, evidenceRank, scoreRun, type EvalMetrics, type EvalOutcome, type EvalQuestion } from './metrics.js';
import { minimize } from './optimize.js';
import { seededRandom } from '../core/random.js';
import { QUOTES_PER_PAGE } from '../core/types.js';

/** One training question with what the engine saw for it. */
export interface FitExample {
  question: EvalQuestion;
  /** Undefined when the question has no content words (the engine declines it as empty). */
  inspection: Inspection | undefined;
}

/** Settings of a fit; recorded with the params so a fit can be reproduced. */
export interface FitSettings {
  folds: number;
  seed: number;
  /** L2 penalty on the ranker's weights (features standardised). */
  rankerL2: number;
  /** L2 penalty on the decision's weights. */
  decisionL2: number;
  /** The share of answerable (fitting) questions the decision must answer: declining those is the worst failure. */
  targetAnswered: number;
  /** Ranker columns to use (a subset of featureColumns()); all when unset. */
  columns?: string[];
  /** Decision signals to use (a subset of DECISION_SIGNALS); all when unset. */
  decisionColumns?: string[];
  wordLists: RankingParams['wordLists'];
  /**
   * Where the candidate sentences come from: the sentences of the best `passages` passages, cut
   * to the best `sentences` by each of three cheap scores (see `RankingParams.sentences`). The
   * engine's own work per question grows with the candidates: with the fine-tuned MiniLM,
   * 2.6 ms for all 92 sentences of 40 passages, 1.1 ms for the 25 of 10 passages.
   *
   * Fewer passages lose evidence: at 10 passages the evidence of 8 of the 218 answerable
   * training questions is not among the candidates (none at 40), and the fine-tuned model's
   * nested scores fall (hit@1 0.720 → 0.706, hit@3 0.876 → 0.849, same fold models). Cutting
   * the sentences of 40 passages instead keeps nearly all of it (the sentence's cosine is what
   * the fine-tuned model was trained on). Held out, same folds:
   *
   * | candidates | fine-tuned MiniLM, nested: hit@1 / hit@3 / answered / rejected | MiniLM, 3 splits: hit@1 / hit@3 |
   * |---|---|---|
   * | 40 passages, every sentence (92) | 0.720 / 0.876 / 0.959 / 0.397 | 0.659 / 0.821 |
   * | 10 passages (25) | 0.706 / 0.849 / 0.959 / 0.411 | 0.658 / 0.829 |
   * | 40 passages, best 15 by each score (30) | 0.716 / 0.876 / 0.959 / 0.397 | 0.659 / 0.823 |
   * | 40 passages, best 12 by each score (24) | 0.711 / 0.881 / 0.959 / 0.397 | 0.659 / 0.824 |
   * | 40 passages, best 10 by each score (20) | 0.706 / 0.876 / 0.963 / 0.397 | 0.659 / 0.824 |
   * | 40 passages, best 8 by each score (17) | 0.706 / 0.872 / 0.968 / 0.397 | 0.665 / 0.824 |
   */
  passages: number;
  sentences: number;
  /** A fixed snippet gap instead of the fitted one (for comparing policies). */
  maxGap?: number;
  /**
   * How much more a further quote that answers counts than one that does not, when fitting the
   * first page's snippet gap (the β of the F-measure: 1 weighs missed answers and loose quotes
   * alike). 2: an answer cut from the first page is lost to the reader, a loose quote there costs
   * a glance. Cross-validated with MiniLM, when one gap served every page: hit@3 0.775 at 1,
   * 0.821 at 2, 0.826 at 3; with the first page's own gap at 2: hit@3 0.821, 2.60 quotes on the
   * first page instead of 1.73. The pages after it (More sources) keep β = 1: a reader
   * who asks for more wants quotes as good as the first.
   */
  gapRecallWeight: number;
}

export const DEFAULT_FIT_SETTINGS: Readonly<FitSettings> = Object.freeze({
  folds: 5,
  seed: 1,
  rankerL2: 0.1,
  decisionL2: 0.01,
  targetAnswered: 0.93,
  wordLists: { backReferences: true, answerKinds: true },
  passages: 40,
  sentences: 12,
  gapRecallWeight: 2,
});

/** The params with the candidate settings of a fit: what its questions are inspected with. */
export function withCandidateSettings(params: RankingParams, settings: { passages: number; sentences?: number | undefined }): RankingParams {
  return { ...params, passages: settings.passages, sentences: settings.sentences };
}

/**
 * Fits every learned number of the params on the given questions:
 * 1. the ranker, a linear model trained listwise (softmax over each question's candidates,
 *    maximising the probability of the sentences that hold the evidence);
 * 2. the answer decision, a logistic regression on signals computed from out-of-fold ranker
 *    scores (so it learns from scores like those it will see on new questions);
 * 3. its threshold, from out-of-fold probabilities, to answer `targetAnswered` of the
 *    answerable questions;
 * 4. the snippet gap, the score distance from the best that best separates further quotes
 *    that answer from those that do not (F-measure weighted to recall, out of fold).
 */
export function fitParams(options: {
  examples: FitExample[];
  articles: readonly ArticleInfo[];
  settings: FitSettings;
  profile: string;
  modelId: string;
  /**
   * Also fit the model for questions in another language than the corpus (see CROSS_LINGUAL),
   * on these examples: the training questions as asked in that language.
   */
  crossLingual?: FitExample[];
}): RankingParams {
  const { examples, articles, settings, profile, modelId } = options;
  const models = fitModels({ examples, articles, settings });
  const crossLingual = options.crossLingual ? fitModels({ examples: options.crossLingual, articles, settings: { ...settings, ...CROSS_LINGUAL } }) : undefined;
  return {
    profile,
    modelId,
    passages: settings.passages,
    sentences: settings.sentences,
    ...models,
    ...(crossLingual ? { crossLingual } : {}),
    wordLists: { ...settings.wordLists },
    fit: null,
  };
}

/**
 * What a question in another language than the articles' can be judged by: the similarities
 * of a multilingual model, the shape of the sentences, the years and names it holds; not word
 * overlap, word lists or lexicon, which assume the question is in English.
 */
export const CROSS_LINGUAL: Readonly<Pick<FitSettings, 'columns' | 'decisionColumns'>> = Object.freeze({
  columns: featureColumns().filter((c) => /^(dense|shape|event|source)\./.test(c)),
  decisionColumns: ['top.score', 'top.margin', 'top.share', 'top.dense', 'top.clause', 'best.dense', 'top.denseZ', 'top.denseAgrees'],
});

/** The ranker, the decision and its threshold, and the snippet gap, fitted on the examples. */
function fitModels(options: { examples: FitExample[]; articles: readonly ArticleInfo[]; settings: FitSettings }): Pick<RankingParams, 'ranker' | 'decision' | 'snippets'> {
  const { examples, settings } = options;
  const columns = [...(settings.columns ?? featureColumns())];
  const signals = [...(settings.decisionColumns ?? decisionColumns())];
  const keep = signals.map((s) => decisionColumns().indexOf(s));
  const ranker = fitRanker({ examples, columns, settings });
  const oofScores = outOfFold({
    items: examples,
    folds: settings.folds,
    seed: settings.seed,
    fit: (train) => fitRanker({ examples: train, columns, settings }),
    apply: (model, example) => scoresOf(model, example),
  });
  const decisionExamples = examples.map((example, i) => {
    const full = decisionRowOf(example, oofScores[i] ?? [], settings);
    return { example, row: full.length === 0 ? full : Float64Array.from(keep, (k) => full[k] ?? 0) };
  });
  const fitDecisionOn = (items: typeof decisionExamples): LinearModel =>
    fitLogistic({
      rows: items.map((d) => d.row),
      labels: items.map((d) => d.example.question.answerable),
      columns: signals,
      directions: signals.map((s) => DECISION_DIRECTIONS[s as (typeof DECISION_SIGNALS)[number]] ?? 0),
      l2: settings.decisionL2,
    });
  const decision = fitDecisionOn(decisionExamples);
  const oofProbability = outOfFold({
    items: decisionExamples,
    folds: settings.folds,
    seed: settings.seed + 1,
    fit: fitDecisionOn,
    apply: (model, d) => sigmoid(bindModel(model, signals).score(d.row)),
  });
  const answerable = decisionExamples.flatMap((d, i) => (d.example.question.answerable && d.example.inspection ? [oofProbability[i] ?? 0] : []));
  const threshold = thresholdFor({ probabilities: answerable, target: settings.targetAnswered });
  const gap = (ranks: number, recallWeight: number): number => settings.maxGap ?? fitSnippetGap({ examples, scores: oofScores, settings, ranks, recallWeight });
  const maxGap = gap(QUOTES_PER_PAGE, settings.gapRecallWeight);
  const moreGap = Math.min(maxGap, gap(5, 1));
  return { ranker, decision: { ...decision, threshold }, snippets: { maxGap, moreGap } };
}

/**
 * Cross-validation: for each fold, fit on the other folds (with their own inner folds) and
 * answer the held-out questions. The metrics are computed only on answers to questions the
 * params never saw.
 */
export function crossValidate(options: {
  examples: FitExample[];
  articles: readonly ArticleInfo[];
  settings: FitSettings;
  corpus: string[];
  profile: string;
  modelId: string;
}): { metrics: EvalMetrics; outcomes: EvalOutcome[] } {
  const { examples, articles, settings, corpus, profile, modelId } = options;
  // One describer for the run, as an engine has: quotes recur across questions and folds.
  const describe = factDescriber({ keyOf: quotePlace });
  const answers = outOfFold({
    items: examples,
    folds: settings.folds,
    seed: settings.seed + 2,
    fit: (train) => fitParams({ examples: train, articles, settings: { ...settings }, profile, modelId }),
    apply: (params, example) => answerExample({ example, params, articles, describe }),
  });
  const outcomes: EvalOutcome[] = examples.map((example, i) => {
    const { answer, probability } = answers[i] ?? { answer: declinedEmpty(example.question.question), probability: undefined };
    return { question: example.question, answer, rank: evidenceRank(example.question, answer), ...(probability !== undefined ? { probability } : {}) };
  });
  return { metrics: scoreRun({ outcomes, corpus }), outcomes };
}

/**
 * Answers one example with given params, as the engine would. `describe`: a factDescriber kept
 * across the examples of one store, as an engine keeps one.
 */
export function answerExample(options: {
  example: FitExample;
  params: RankingParams;
  articles: readonly ArticleInfo[];
  limit?: number;
  describe?: (quote: SourcedQuote) => FactTerms;
}): { answer: Answer; probability: number | undefined } {
  const { example, params, articles, limit = 5, describe } = options;
  if (!example.inspection) return { answer: declinedEmpty(example.question.question), probability: undefined };
  const { answer, trace } = answerFromInspection({ question: example.question.question, inspection: example.inspection, params, store: { articles }, limit, ...(describe ? { describe } : {}) });
  return { answer, probability: trace.probability };
}

function declinedEmpty(question: string): Answer {
  return { question, answered: false, snippets: [], events: [], reason: 'empty' };
}

const positivesMemo = new WeakMap<FitExample, Map<boolean, Set<number>>>();

/** Candidates whose quote holds an evidence string: what the ranker should put first. */
export function positivesOf(example: FitExample, wordLists: RankingParams['wordLists']): Set<number> {
  // The same examples are labelled again by every fit of a cross-validation: remember them.
  let byJoin = positivesMemo.get(example);
  if (!byJoin) positivesMemo.set(example, (byJoin = new Map()));
  const known = byJoin.get(wordLists.backReferences);
  if (known) return known;
  const positives = new Set<number>();
  byJoin.set(wordLists.backReferences, positives);
  const inspection = example.inspection;
  if (!inspection || !example.question.answerable) return positives;
  const evidence = example.question.evidence.map(canonical);
  inspection.candidates.forEach((candidate, i) => {
    const quote = canonical(buildQuote({ candidate, queryTerms: inspection.question.terms, joinBackReferences: wordLists.backReferences }).text);
    if (evidence.some((e) => quote.includes(e))) positives.add(i);
  });
  return positives;
}

function scoresOf(model: LinearModel, example: FitExample): number[] {
  const inspection = example.inspection;
  if (!inspection) return [];
  const bound = bindModel(model, inspection.columns);
  return inspection.rows.map((row) => bound.score(row));
}

function decisionRowOf(example: FitExample, scores: number[], settings: FitSettings): Float64Array {
  const inspection = example.inspection;
  if (!inspection) return new Float64Array(0);
  return decisionRow({
    question: inspection.question,
    queryTerms: inspection.queryTerms,
    scores,
    features: inspection.raw,
    texts: inspection.candidates.map((c) => c.text),
    answerKinds: settings.wordLists.answerKinds,
    holds: (i, t) => {
      const candidate = inspection.candidates[i];
      return candidate ? holdsTerm(candidate, t) : false;
    },
    maxIdf: inspection.maxIdf,
  });
}

/** Listwise ranker: minimises −log P(evidence sentences) under a softmax over candidates, plus L2. */
function fitRanker(options: { examples: FitExample[]; columns: string[]; settings: FitSettings }): LinearModel {
  const { examples, columns, settings } = options;
  const lists: Array<{ rows: ArrayLike<number>[]; positive: boolean[] }> = [];
  for (const example of examples) {
    const inspection = example.inspection;
    const positives = positivesOf(example, settings.wordLists);
    if (!inspection || positives.size === 0) continue;
    const at = columns.map((name) => inspection.columns.indexOf(name));
    lists.push({ rows: inspection.rows.map((row) => at.map((c) => row[c] ?? 0)), positive: inspection.rows.map((_, i) => positives.has(i)) });
  }
  return fitListwise({ lists, columns, l2: settings.rankerL2 });
}

/**
 * A linear model over `columns` trained listwise: minimises −log P(positive rows) under a
 * softmax over each list's rows, plus L2 on the standardised weights. Lists without a positive
 * row teach nothing and are left out.
 */
export function fitListwise(options: { lists: Array<{ rows: ArrayLike<number>[]; positive: boolean[] }>; columns: string[]; l2: number }): LinearModel {
  const { columns, l2 } = options;
  const d = columns.length;
  // Each list's rows as one flat row-major matrix: the objective runs hundreds of times.
  const lists = options.lists
    .filter((l) => l.positive.some(Boolean))
    .map(({ rows, positive }) => {
      const n = rows.length;
      const x = new Float64Array(n * d);
      rows.forEach((row, i) => {
        for (let k = 0; k < d; k++) x[i * d + k] = row[k] ?? 0;
      });
      return { x, n, positive: Uint8Array.from(positive, (p) => (p ? 1 : 0)) };
    });
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  const rows = lists.reduce((sum, l) => sum + l.n, 0) || 1;
  for (const { x, n } of lists) for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] = (mean[k] ?? 0) + (x[i * d + k] ?? 0) / rows;
  for (const { x, n } of lists) for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) scale[k] = (scale[k] ?? 0) + ((x[i * d + k] ?? 0) - (mean[k] ?? 0)) ** 2 / rows;
  for (let k = 0; k < d; k++) scale[k] = (scale[k] ?? 0) > 1e-12 ? Math.sqrt(scale[k] ?? 1) : 1;
  for (const { x, n } of lists) for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) x[i * d + k] = ((x[i * d + k] ?? 0) - (mean[k] ?? 0)) / (scale[k] ?? 1);
  const weights = minimize({
    start: new Float64Array(d),
    objective: (w) => {
      let value = 0;
      const gradient = new Float64Array(d);
      for (const { x, n, positive } of lists) {
        const s = new Float64Array(n);
        let top = -Infinity;
        for (let i = 0; i < n; i++) {
          let sum = 0;
          for (let k = 0; k < d; k++) sum += (x[i * d + k] as number) * (w[k] as number);
          s[i] = sum;
          if (sum > top) top = sum;
        }
        let all = 0;
        let pos = 0;
        for (let i = 0; i < n; i++) {
          const e = Math.exp((s[i] as number) - top);
          s[i] = e;
          all += e;
          if (positive[i]) pos += e;
        }
        value -= Math.log(pos / all);
        for (let i = 0; i < n; i++) {
          const e = s[i] as number;
          const coefficient = e / all - (positive[i] ? e / pos : 0);
          if (coefficient === 0) continue;
          for (let k = 0; k < d; k++) gradient[k] = (gradient[k] as number) + coefficient * (x[i * d + k] as number);
        }
      }
      const count = lists.length || 1;
      let penalty = 0;
      for (let k = 0; k < d; k++) {
        const wk = w[k] as number;
        gradient[k] = (gradient[k] as number) / count + 2 * l2 * wk;
        penalty += wk * wk;
      }
      return { value: value / count + l2 * penalty, gradient };
    },
  });
  return { columns: [...columns], mean: round(mean), scale: round(scale), weights: round(weights), bias: 0 };
}

/**
 * L2-regularised logistic regression (bias not penalised). A weight with a direction (+1 or
 * −1) is kept on that side of zero: it is fitted as ±softplus(v), so it can shrink towards
 * zero but never change sign.
 */
export function fitLogistic(options: { rows: Float64Array[]; labels: boolean[]; columns: string[]; directions?: Array<1 | -1 | 0>; l2: number }): LinearModel {
  const { rows, labels, columns, l2 } = options;
  const directions = options.directions ?? columns.map(() => 0 as const);
  const weightOf = (v: number, k: number): number => (directions[k] ? (directions[k] ?? 0) * softplus(v) : v);
  const d = columns.length;
  const usable = rows.flatMap((row, i) => (row.length === d ? [{ row, y: labels[i] ? 1 : 0 }] : []));
  const { mean, scale } = standardisation(usable.map((u) => u.row), d);
  const x = usable.map((u) => u.row.map((v, k) => (v - (mean[k] ?? 0)) / (scale[k] ?? 1)));
  const solution = minimize({
    start: new Float64Array(d + 1),
    objective: (v) => {
      const w = v.map((value, k) => (k < d ? weightOf(value, k) : value));
      let value = 0;
      const gradient = new Float64Array(d + 1);
      x.forEach((row, i) => {
        const y = usable[i]?.y ?? 0;
        let z = w[d] ?? 0;
        for (let k = 0; k < d; k++) z += (w[k] ?? 0) * (row[k] ?? 0);
        const p = sigmoid(z);
        value -= y * Math.log(Math.max(p, 1e-12)) + (1 - y) * Math.log(Math.max(1 - p, 1e-12));
        const r = p - y;
        for (let k = 0; k < d; k++) gradient[k] = (gradient[k] ?? 0) + r * (row[k] ?? 0);
        gradient[d] = (gradient[d] ?? 0) + r;
      });
      const n = x.length || 1;
      let penalty = 0;
      for (let k = 0; k <= d; k++) gradient[k] = (gradient[k] ?? 0) / n + (k < d ? 2 * l2 * (w[k] ?? 0) : 0);
      for (let k = 0; k < d; k++) penalty += (w[k] ?? 0) ** 2;
      // Chain rule through ±softplus for the weights with a direction.
      for (let k = 0; k < d; k++) if (directions[k]) gradient[k] = (gradient[k] ?? 0) * (directions[k] ?? 0) * sigmoid(v[k] ?? 0);
      return { value: value / n + l2 * penalty, gradient };
    },
  });
  const weights = Array.from(solution.subarray(0, d), (v, k) => weightOf(v, k));
  return { columns: [...columns], mean: round(mean), scale: round(scale), weights: round(weights), bias: round([solution[d] ?? 0])[0] ?? 0 };
}

function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

/** The highest threshold that still answers `target` of the answerable questions. */
export function thresholdFor(options: { probabilities: number[]; target: number }): number {
  const sorted = [...options.probabilities].sort((a, b) => a - b);
  if (sorted.length === 0) return 0.5;
  const allowedMisses = Math.floor((1 - options.target) * sorted.length);
  return round([sorted[allowedMisses] ?? 0])[0] ?? 0;
}

/**
 * The score gap below the best under which a further quote is shown: the value that best
 * separates quotes holding the evidence from those that do not (F-measure with β =
 * `recallWeight`), over ranks 2 to `ranks` of the
 * answerable questions, with out-of-fold scores.
 */
function fitSnippetGap(options: { examples: FitExample[]; scores: number[][]; settings: FitSettings; ranks: number; recallWeight: number }): number {
  const { examples, scores, settings, ranks, recallWeight } = options;
  const lists = examples.flatMap((example, i) => {
    const s = scores[i] ?? [];
    if (!example.question.answerable || !example.inspection || s.length < 2) return [];
    const positives = positivesOf(example, settings.wordLists);
    return [{ scores: s, positive: s.map((_, j) => positives.has(j)) }];
  });
  return snippetGap({ lists, ranks, recallWeight });
}

/** The gap of fitSnippetGap over lists of scores, each with which of them hold the evidence. */
export function snippetGap(options: { lists: Array<{ scores: number[]; positive: boolean[] }>; ranks: number; recallWeight: number }): number {
  const { lists, ranks, recallWeight } = options;
  const extras: Array<{ gap: number; relevant: boolean }> = [];
  for (const { scores: s, positive } of lists) {
    if (s.length < 2) continue;
    const order = s.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0]);
    const best = order[0]?.[0] ?? 0;
    for (const [v, j] of order.slice(1, ranks)) extras.push({ gap: best - v, relevant: positive[j] === true });
  }
  const relevantTotal = extras.filter((e) => e.relevant).length;
  let bestGap = 0;
  let bestF1 = -1;
  for (const { gap } of extras) {
    const shown = extras.filter((e) => e.gap <= gap);
    const hits = shown.filter((e) => e.relevant).length;
    const precision = shown.length ? hits / shown.length : 0;
    const recall = relevantTotal ? hits / relevantTotal : 0;
    const b2 = recallWeight ** 2;
    const f1 = precision + recall > 0 ? ((1 + b2) * precision * recall) / (b2 * precision + recall) : 0;
    if (f1 > bestF1 || (f1 === bestF1 && gap < bestGap)) {
      bestF1 = f1;
      bestGap = gap;
    }
  }
  return round([bestGap])[0] ?? 0;
}

function standardisation(rows: Float64Array[], d: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  const n = rows.length || 1;
  for (const row of rows) for (let k = 0; k < d; k++) mean[k] = (mean[k] ?? 0) + (row[k] ?? 0) / n;
  for (const row of rows) for (let k = 0; k < d; k++) scale[k] = (scale[k] ?? 0) + ((row[k] ?? 0) - (mean[k] ?? 0)) ** 2 / n;
  return { mean, scale: scale.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/**
 * Splits items into `folds` seeded folds; for each fold fits on the rest and applies the model
 * to the fold's items. Returns the results in item order.
 */
export function outOfFold<T, M, R>(options: { items: T[]; folds: number; seed: number; fit: (train: T[]) => M; apply: (model: M, item: T) => R }): R[] {
  const { items, folds, seed, fit, apply } = options;
  const fold = foldAssignment(items.length, folds, seed);
  const out = new Array<R>(items.length);
  for (let f = 0; f < folds; f++) {
    const train = items.filter((_, i) => fold[i] !== f);
    const model = fit(train);
    items.forEach((item, i) => {
      if (fold[i] === f) out[i] = apply(model, item);
    });
  }
  return out;
}

/** A seeded shuffle dealt round-robin into folds: the same seed gives the same folds. */
export function foldAssignment(n: number, folds: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed >>> 0 || 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const fold = new Array<number>(n).fill(0);
  order.forEach((item, position) => (fold[item] = position % folds));
  return fold;
}

/** Six significant digits: params files stay readable and diffs small, the scores unchanged. */
function round(values: ArrayLike<number>): number[] {
  return Array.from(values, (v) => Number(v.toPrecision(6)));
}

/** Cross-validation repeated with other fold splits: the mean is steadier than one split. */
export function repeatedCrossValidation(options: Parameters<typeof crossValidate>[0] & { repeats: number }): {
  mean: EvalMetrics;
  runs: EvalMetrics[];
  /** Outcomes of the first split, for per-style figures and the list of misses. */
  outcomes: EvalOutcome[];
} {
  const { repeats, ...rest } = options;
  const results = Array.from({ length: repeats }, (_, r) => crossValidate({ ...rest, settings: { ...rest.settings, seed: rest.settings.seed + 10 * r } }));
  const runs = results.map((r) => r.metrics);
  const keys = Object.keys(runs[0] ?? {}) as Array<keyof EvalMetrics>;
  const mean = Object.fromEntries(keys.map((k) => [k, Number((runs.reduce((sum, m) => sum + m[k], 0) / runs.length).toFixed(4))])) as unknown as EvalMetrics;
  return { mean, runs, outcomes: results[0]?.outcomes ?? [] };
}
