import type { Answer, CorpusAbout, Snippet, Source } from '../core/types.js';
import { aboutIn } from './about.js';
import { figureVariants, otherOutlets } from './corroboration.js';

/** "ThePrint (Reuters), 2025-10-09, “Title”" — or the event when the article has no date. */
export function sourceLine(source: Source, event?: string): string {
  const when = source.date ?? (event ? `undated, ${event}` : 'undated');
  return `${source.outlet}, ${when}, “${source.title}”${source.url ? ` <${source.url}>` : ''}`;
}

/** Plain-text rendering of an answer for terminals: each quote, then its source line. */
export function renderAnswerText(answer: Answer, about?: CorpusAbout): string {
  if (!answer.answered) {
    const said = about ? aboutIn(about) : undefined;
    if (answer.reason === 'empty') return `Please ask a question in words${said?.examples[0] ? `, for example: ${said.examples[0]}` : '.'}`;
    if (answer.reason === 'language') return 'I read questions in English only with this model; please ask in English.';
    if (answer.related && answer.related.length > 0) return [CLOSEST_TEXT, '', ...snippetLines(answer.related)].join('\n').trimEnd();
    return `The coverage does not say.${said ? ` I can answer questions about ${said.description}: ${said.topics}.` : ''}`;
  }
  const lines: string[] = [];
  if (answer.events.length > 1) lines.push(`Note: these quotes come from different events (${answer.events.join('; ')}).`, '');
  lines.push(...snippetLines(answer.snippets));
  return lines.join('\n').trimEnd();
}

/** What the terminal says before the closest quotes to a question the coverage does not answer. */
export const CLOSEST_TEXT = "The coverage doesn't say exactly that. The closest it comes:";

function snippetLines(snippets: Snippet[]): string[] {
  const lines: string[] = [];
  snippets.forEach((snippet, i) => {
    lines.push(`${i + 1}. “${snippet.quote}”`, `   — ${sourceLine(snippet.source, snippet.event)}`);
    const others = otherOutlets(snippet);
    if (others.length > 0) lines.push(`   Also reported by ${others.map((c) => `${c.source.outlet}, ${c.source.date ?? 'undated'}`).join(' · ')}.`);
    const variants = figureVariants(snippet);
    if (variants) lines.push(`   The outlets give the figure differently: ${variants.map((v) => `“${v.phrase}” (${v.outlets.join(', ')})`).join(' · ')}.`);
    lines.push('');
  });
  return lines;
}
