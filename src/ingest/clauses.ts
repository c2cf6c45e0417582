import { INGEST } from '../core/settings.js';

/** A clause of a sentence, by offsets relative to the sentence text. */
export interface Clause {
  start: number;
  end: number;
}

/** Shortest clause worth embedding on its own; shorter pieces join the one before. */
const MIN_CLAUSE_CHARS = INGEST.minClauseChars;

/** Where a clause may end: after a comma, semicolon, colon or dash, or before a joining word. */
const CLAUSE_BREAK = /[,;:–—](?=\s)|\s(?=(?:while|which|where|but|and|after|before|as|including|especially)\s)/g;

/**
 * Cuts a long sentence into clauses of at least 40 characters. A question often asks about one
 * clause of a long sentence, whose embedding is diluted by the rest; each clause is embedded
 * on its own as well. Sentences that do not split into two or more clauses give none.
 */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (const match of text.matchAll(CLAUSE_BREAK)) {
    const end = (match.index ?? 0) + match[0].length;
    if (end - start >= MIN_CLAUSE_CHARS && text.length - end >= MIN_CLAUSE_CHARS) {
      clauses.push(trim(text, start, end));
      start = end;
    }
  }
  if (clauses.length === 0) return [];
  clauses.push(trim(text, start, text.length));
  return clauses;
}

function trim(text: string, start: number, end: number): Clause {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}
