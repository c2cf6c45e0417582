/** One line of the benchmark table. */
export interface TableRow {
  model: string;
  part: string;
  figure: string;
  value: string;
  /** The anchor measured in the same run, e.g. "embed p50 0.41 ms". */
  anchor: string;
  /** Figure / anchor as the target reads it, or '' when the figure has no anchor. */
  ratio: string;
  target: string;
  /** true / false against the target; undefined when the figure has no target. */
  met?: boolean;
}

export const ms = (value: number): string => (value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`);
export const mb = (value: number): string => `${value.toFixed(0)} MB`;
export const x = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');

/** A plain-text table (also valid Markdown), columns padded to their widest cell. */
export function formatTable(rows: readonly TableRow[]): string {
  const header = ['model', 'part', 'figure', 'value', 'anchor', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [r.model, r.part, r.figure, r.value, r.anchor, r.ratio, r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: string[]): string => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/** The closing summary: which targets were met and which were missed. */
export function formatVerdict(rows: readonly TableRow[]): string {
  const targeted = rows.filter((r) => r.met !== undefined);
  const missed = targeted.filter((r) => r.met === false);
  const lines = [`targets met: ${targeted.length - missed.length} of ${targeted.length}`];
  for (const r of missed) {
    const measured = r.ratio ? `${r.value}, ratio ${r.ratio}` : r.value;
    lines.push(`  missed: ${r.model} ${r.part} ${r.figure} = ${measured} (target ${r.target})`);
  }
  return lines.join('\n');
}
