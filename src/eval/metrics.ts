import type { Answer } from '../core/types.js';

/** One line of a question set (see the project README, "Evaluation"). */
export interface EvalQuestion {
  id: string;
  question: string;
  answerable: boolean;
  /** Any one of these must appear inside a returned quote. */
  evidence: string[];
  /** Free-text tag for reports, e.g. "paraphrase", "typo". */
  kind?: string;
}

export interface EvalMetrics {
  questions: number;
  hitAt1: number;
  hitAt3: number;
  mrrAt5: number;
  answered: number;
  rejected: number;
  fidelity: number;
  longQuotes: number;
}

export interface EvalOutcome {
  question: EvalQuestion;
  answer: Answer;
  /** The answer decision's probability that the coverage answers, when known. */
  probability?: number;
  /** 1-based rank of the first quote with evidence among the first five, or 0. */
  rank: number;
}

/** The comparison form: NFKC, straight quotes, '-' for dashes, collapsed whitespace, lower case. */
export function canonical(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A quote is faithful when every fragment between "…" marks occurs verbatim in the corpus. */
export function isVerbatim(quote: string, corpus: string[]): boolean {
  const texts = corpus.map(canonical);
  return quote
    .split('…')
    .map(canonical)
    .filter((f) => f !== '')
    .every((fragment) => texts.some((t) => t.includes(fragment)));
}

/** Rank (1-based) of the first of the first five quotes containing an evidence string; 0 if none. */
export function evidenceRank(question: EvalQuestion, answer: Answer): number {
  if (!answer.answered) return 0;
  const evidence = question.evidence.map(canonical);
  const index = answer.snippets.slice(0, 5).findIndex((s) => evidence.some((e) => canonical(s.quote).includes(e)));
  return index + 1;
}

/** Computes the metrics exactly as the question-set README defines them. */
export function scoreRun(options: { outcomes: EvalOutcome[]; corpus: string[] }): EvalMetrics {
  const { outcomes, corpus } = options;
  const answerable = outcomes.filter((o) => o.question.answerable);
  const unanswerable = outcomes.filter((o) => !o.question.answerable);
  const quotes = outcomes.flatMap((o) => o.answer.snippets.map((s) => s.quote));
  const share = (n: number, d: number): number => (d === 0 ? 1 : n / d);
  return {
    questions: outcomes.length,
    hitAt1: share(answerable.filter((o) => o.rank === 1).length, answerable.length),
    hitAt3: share(answerable.filter((o) => o.rank >= 1 && o.rank <= 3).length, answerable.length),
    mrrAt5: share(answerable.reduce((sum, o) => sum + (o.rank > 0 ? 1 / o.rank : 0), 0), answerable.length),
    answered: share(answerable.filter((o) => o.answer.answered).length, answerable.length),
    rejected: share(unanswerable.filter((o) => !o.answer.answered).length, unanswerable.length),
    fidelity: share(quotes.filter((q) => isVerbatim(q, corpus)).length, quotes.length),
    longQuotes: quotes.filter((q) => q.length > 400).length,
  };
}

/** Parses a question file's text; throws with the line number of the first bad line. */
export function parseQuestions(text: string, path: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let q: Partial<EvalQuestion>;
    try {
      q = JSON.parse(line) as Partial<EvalQuestion>;
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
    if (typeof q.id !== 'string' || typeof q.question !== 'string' || typeof q.answerable !== 'boolean' || !Array.isArray(q.evidence)) {
      throw new Error(`${path}:${i + 1}: needs "id", "question", "answerable" and "evidence"`);
    }
    out.push({ id: q.id, question: q.question, answerable: q.answerable, evidence: q.evidence, ...(q.kind ? { kind: q.kind } : {}) });
  });
  return out;
}
