import type { RankingParams } from '../answer/ranking-params.js';
import type { EvalMetrics, EvalOutcome } from './metrics.js';

const f = (x: number): string => x.toFixed(3);

/** One table row per labelled run: the figures the question-set README defines. */
export function metricsTable(rows: Array<{ label: string; metrics: EvalMetrics }>): string {
  const width = Math.max(10, ...rows.map((r) => r.label.length));
  const head = `${'run'.padEnd(width)}  hit@1  hit@3  mrr@5  answered  rejected  fidelity  quotes>400`;
  const body = rows.map(({ label, metrics: m }) =>
    `${label.padEnd(width)}  ${f(m.hitAt1)}  ${f(m.hitAt3)}  ${f(m.mrrAt5)}  ${f(m.answered).padStart(8)}  ${f(m.rejected).padStart(8)}  ${f(m.fidelity).padStart(8)}  ${String(m.longQuotes).padStart(10)}`,
  );
  return [head, ...body].join('\n');
}

/** hit@1 and answered (or rejected) per question style, from a tags file's labels. */
export function byStyle(options: { outcomes: EvalOutcome[]; tags: Record<string, string[]> }): string {
  const groups = new Map<string, EvalOutcome[]>();
  for (const o of options.outcomes) {
    for (const tag of options.tags[o.question.id] ?? []) {
      const list = groups.get(tag);
      if (list) list.push(o);
      else groups.set(tag, [o]);
    }
  }
  const lines = [...groups].sort((a, b) => b[1].length - a[1].length).map(([tag, list]) => {
    const answerable = list.filter((o) => o.question.answerable);
    const other = list.filter((o) => !o.question.answerable);
    const parts = [`${tag.padEnd(8)} ${String(list.length).padStart(4)}`];
    if (answerable.length > 0) {
      parts.push(`hit@1 ${f(answerable.filter((o) => o.rank === 1).length / answerable.length)}`);
      parts.push(`answered ${f(answerable.filter((o) => o.answer.answered).length / answerable.length)}`);
    }
    if (other.length > 0) parts.push(`rejected ${f(other.filter((o) => !o.answer.answered).length / other.length)} of ${other.length}`);
    return parts.join('  ');
  });
  return ['by style (tags of the question set):', ...lines.map((l) => `  ${l}`)].join('\n');
}

/** Every miss, one line each with the top quote, for reading what fails. */
export function missList(outcomes: EvalOutcome[], limit = Infinity): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const { question: q, answer, rank } = o;
    const miss = q.answerable ? rank !== 1 : answer.answered;
    if (!miss || lines.length / 2 >= limit) continue;
    const what = !q.answerable
      ? 'answered an unanswerable question'
      : !answer.answered
        ? 'declined an answerable question'
        : rank === 0
          ? 'no evidence in the top 5'
          : `evidence first at rank ${rank}`;
    const p = o.probability !== undefined ? ` (p=${o.probability.toFixed(2)})` : '';
    lines.push(`MISS ${q.id} ${what}${p}: ${q.question}`);
    const top = answer.snippets[0];
    lines.push(top ? `       top: ${top.source.outlet}: “${top.quote.slice(0, 140)}${top.quote.length > 140 ? '…' : ''}”` : '       (no quote)');
  }
  return lines.join('\n');
}

/** The final machine-readable line. */
export function summaryLine(m: EvalMetrics): string {
  return [
    `hit@1=${f(m.hitAt1)}`,
    `hit@3=${f(m.hitAt3)}`,
    `mrr@5=${f(m.mrrAt5)}`,
    `answered=${f(m.answered)}`,
    `rejected=${f(m.rejected)}`,
    `fidelity=${f(m.fidelity)}`,
    `long_quotes=${m.longQuotes}`,
    `questions=${m.questions}`,
  ].join(' ');
}

/**
 * Params as JSON a reviewer can read: one key a line, number arrays on one line each, so a
 * refit shows up in a diff as the arrays that changed.
 */
export function formatParams(params: RankingParams): string {
  return `${JSON.stringify(params, (_key, value: unknown) => (Array.isArray(value) && value.every((v) => typeof v === 'number' || typeof v === 'string') ? `\u0000${JSON.stringify(value)}` : value), 2)
    .replace(/"\\u0000(.*)"/g, (_m, inner: string) => JSON.parse(`"${inner}"`) as string)}\n`;
}
