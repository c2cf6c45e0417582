import type { Answer, Source } from '../core/types.js';
import { alsoReportedBy } from './corroboration.js';

/** "ThePrint (Reuters), 2025-10-09, “Title”" — or the event when the article has no date. */
export function sourceLine(source: Source, event?: string): string {
  const when = source.date ?? (event ? `undated, ${event}` : 'undated');
  return `${source.outlet}, ${when}, “${source.title}”${source.url ? ` <${source.url}>` : ''}`;
}

/** Plain-text rendering of an answer for terminals: each quote, then its source line. */
export function renderAnswerText(answer: Answer): string {
  if (!answer.answered) {
    return answer.reason === 'empty'
      ? 'Please ask a question in words, for example: How much trade did Russia do with Central Asia last year?'
      : 'The coverage does not say. I can answer questions about Putin’s visits to Dushanbe (October 2025 and June 2022): trade, security, migration, the summit and the people involved.';
  }
  const lines: string[] = [];
  if (answer.events.length > 1) lines.push(`Note: these quotes come from different events (${answer.events.join('; ')}).`, '');
  answer.snippets.forEach((snippet, i) => {
    lines.push(`${i + 1}. “${snippet.quote}”`, `   — ${sourceLine(snippet.source, snippet.event)}`);
    const same = alsoReportedBy(snippet);
    const differ = snippet.corroboratedBy.filter((c) => c.differs);
    if (same.length > 0) lines.push(`   Also reported by: ${same.map((c) => c.source.outlet).join(', ')}`);
    for (const c of differ) lines.push(`   ${c.source.outlet} puts it differently: “${c.quote}”`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}
